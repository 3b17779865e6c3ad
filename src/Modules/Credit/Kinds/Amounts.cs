using System.Globalization;

namespace Commons.Modules.Credit.Kinds;

/// <summary>Amounts as the wire and the records write them: decimal text, invariant culture, never a floating point.</summary>
public static class Amounts
{
    public static decimal Parse(string text) => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>Decimals written, trailing zeros included ("1.50" has two): the unit's precision bounds what is written.</summary>
    public static int DecimalsOf(string text) => text.IndexOf('.') is var dot and >= 0 ? text.Length - dot - 1 : 0;

    public static string Text(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
