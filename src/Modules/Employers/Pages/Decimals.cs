using System.Globalization;

namespace Commons.Modules.Employers.Pages;

/// <summary>Numbers as people type them in a form: a comma or a point before the decimals, spaces between thousands.</summary>
internal static class Decimals
{
    public static decimal? Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var plain = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal)
            .Replace("\u202F", "", StringComparison.Ordinal).Replace(',', '.');
        return decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    public static int Places(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;

    public static string Invariant(decimal value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
