using System.Globalization;
using System.Text;

namespace Commons.Modules.Place.Usage;

/// <summary>
/// The usage report as CSV (RFC 4180): a header, CRLF line ends, fields with a comma, quote or line break quoted and
/// their quotes doubled; amounts with a point and two decimals. A field a spreadsheet would run as a formula starts
/// with an apostrophe, as the map's directory export does (OWASP CSV injection).
/// </summary>
public static class UsageCsv
{
    public const string MediaType = "text/csv";

    private static readonly string[] Columns =
        ["month", "organisation_id", "organisation", "hours", "cost_eur", "cost_credit", "late_cancellations", "bookings"];

    public static string Write(UsageTable table)
    {
        var b = new StringBuilder();
        Line(b, Columns);
        foreach (var r in table.Rows)
            Line(b, [table.Month.ToString(), r.Organisation.Id, r.Organisation.Name, Amount(r.Hours), Amount(r.CostEur), Amount(r.CostCredit),
                r.LateCancellations.ToString(CultureInfo.InvariantCulture), r.Bookings.ToString(CultureInfo.InvariantCulture)]);
        return b.ToString();
    }

    public static string FileName(UsageMonth month) => $"place-usage-{month}.csv";

    private static readonly string[] ElsewhereColumns =
        ["month", "place", "place_name", "resource", "booking", "start", "end", "state", "late", "hours", "cost_eur", "cost_credit", "payment"];

    /// <summary>This organisation's bookings at the places it follows, one line each, times as ISO 8601 with their Brussels offset.</summary>
    public static string Write(ElsewhereUsageTable table, string language)
    {
        var b = new StringBuilder();
        Line(b, ElsewhereColumns);
        foreach (var place in table.Places)
            foreach (var i in place.Items)
                Line(b, [table.Month.ToString(), place.Place, place.Name.In(language) ?? place.Place, i.Resource, i.Booking, Kinds.PlaceTime.Text(i.Start),
                    Kinds.PlaceTime.Text(i.End), i.State, i.Late ? "true" : "false", Amount(i.Hours), Amount(i.CostEur), Amount(i.CostCredit), i.Payment?.State ?? ""]);
        return b.ToString();
    }

    public static string ElsewhereFileName(UsageMonth month) => $"place-usage-elsewhere-{month}.csv";

    private static string Amount(decimal d) => d.ToString("0.00", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder b, IReadOnlyList<string> fields)
    {
        b.AppendJoin(',', fields.Select(Field));
        b.Append("\r\n");
    }

    internal static string Field(string value) => Platform.Csv.CsvField.Write(value);
}
