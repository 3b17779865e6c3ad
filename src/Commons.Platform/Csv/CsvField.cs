using System.Globalization;

namespace Commons.Platform.Csv;

/// <summary>
/// One CSV field as the modules' exports write it (RFC 4180): with a comma, quote or line break it is quoted and its
/// quotes doubled. A field a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
/// starts with an apostrophe (OWASP CSV injection), unless it reads as a number (-12.50 stays a number).
/// </summary>
public static class CsvField
{
    public static string Write(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
