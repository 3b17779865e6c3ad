using System.Globalization;

namespace Commons.Node.Web.Records;

/// <summary>
/// Numbers as people type them: "3.5" everywhere, "3,5" where the comma is the decimal separator (French, Dutch),
/// spaces as thousands separators, and "1.000,5" / "1,000.5" where the last separator is the decimal one.
/// </summary>
public static class FormNumbers
{
    public static bool TryRead(string text, CultureInfo culture, out decimal value)
    {
        value = 0;
        var s = new string(text.Where(c => c is not (' ' or '\u00A0' or '\u202F')).ToArray());
        var comma = s.LastIndexOf(',');
        var point = s.LastIndexOf('.');
        if (comma >= 0 && point >= 0)
        {
            // Both: the later one separates the decimals, the other groups thousands.
            s = comma > point ? s.Replace(".", "").Replace(',', '.') : s.Replace(",", "");
        }
        else if (comma >= 0)
        {
            if (culture.NumberFormat.NumberDecimalSeparator != "," || s.IndexOf(',') != comma) return false;
            s = s.Replace(',', '.');
        }
        return s.Length > 0 && decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);
    }
}
