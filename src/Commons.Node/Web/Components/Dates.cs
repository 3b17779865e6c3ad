using System.Globalization;

namespace Commons.Node.Web.Components;

/// <summary>Instants on the pages: machine-readable in <c>datetime</c>, shown in the reader's culture and time zone.</summary>
public static class Dates
{
    public static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The instant as the reader reads it: "g" (date and short time) unless a date alone ("d") is enough.</summary>
    public static string Shown(DateTimeOffset t, string format = "g") => t.ToLocalTime().ToString(format, CultureInfo.CurrentCulture);
}
