using System.Globalization;

namespace Commons.Node.Web.Federation;

/// <summary>Times on the federation pages: machine-readable in <c>datetime</c>, shown in the reader's culture.</summary>
public static class Dates
{
    public static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);
    public static string Shown(DateTimeOffset t) => t.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);
}
