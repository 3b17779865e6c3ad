using System.Globalization;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Pages;

/// <summary>
/// The booking form as posted: a day and wall-clock times in Brussels, as people think of them. The instants they mean
/// are worked out here (the hour skipped in spring becomes the next one), so the rules judge the same booking the API would.
/// </summary>
public sealed class BookingForm
{
    public string? Resource { get; set; }
    public string? StartDate { get; set; }
    public string? StartTime { get; set; }
    public string? EndDate { get; set; }
    public string? EndTime { get; set; }
    public string? Purpose { get; set; }
    public string? Organisation { get; set; }

    /// <summary>The request, or null with the fields that could not be read (field name → resource key of the message).</summary>
    public BookingRequest? Read(Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(Resource)) errors[nameof(Resource)] = "ChooseResource";
        var start = Instant(StartDate, StartTime, nameof(StartDate), nameof(StartTime), errors);
        var end = Instant(string.IsNullOrWhiteSpace(EndDate) ? StartDate : EndDate, EndTime, nameof(EndDate), nameof(EndTime), errors);
        if (errors.Count > 0 || start is null || end is null) return null;
        return new BookingRequest(Resource!.Trim(), start.Value, end.Value, Blank(Purpose), Blank(Organisation));
    }

    private static DateTimeOffset? Instant(string? date, string? time, string dateField, string timeField, Dictionary<string, string> errors)
    {
        var dayOk = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
        var timeOk = TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock);
        if (!dayOk) errors[dateField] = "InvalidDate";
        if (!timeOk) errors[timeField] = "InvalidTime";
        return dayOk && timeOk ? PlaceTime.FromLocal(day.ToDateTime(clock)) : null;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The form field a rule's path names.</summary>
    public static string FieldOf(string? path) => path switch
    {
        "resource" => nameof(Resource),
        "end" => nameof(EndTime),
        "purpose" => nameof(Purpose),
        "organisation" => nameof(Organisation),
        _ => nameof(StartTime),
    };
}
