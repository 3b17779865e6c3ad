using System.Globalization;

namespace Commons.Node.Web.Components;

/// <summary>
/// Instants on the pages: machine-readable in <c>datetime</c>, shown in the reader's culture on the Brussels wall clock —
/// the members' time zone, whatever zone the server runs in (containers and CI run in UTC).
/// </summary>
public static class Dates
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The instant as the reader reads it: "g" (date and short time) unless a date alone ("d") is enough.</summary>
    public static string Shown(DateTimeOffset t, string format = "g") => InBrussels(t).ToString(format, CultureInfo.CurrentCulture);

    public static DateTimeOffset InBrussels(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone);
}
