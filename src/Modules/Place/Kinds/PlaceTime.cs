using System.Globalization;
using System.Text.Json;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// Time as the place's people see it: wall-clock hours in Europe/Brussels. Bookings are stored as instants with their
/// offset; opening hours are compared in local time on the day the booking starts, lengths in elapsed time, so a
/// booking across a daylight-saving change is neither an hour too long nor too short.
/// </summary>
public static class PlaceTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant a Brussels wall-clock time stands for; in the hour skipped in spring, the hour after it.</summary>
    public static DateTimeOffset FromLocal(DateTime wallClock)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        // In the hour repeated in autumn, the first of the two (summer time) is meant.
        var offset = Zone.IsAmbiguousTime(unspecified) ? Zone.GetAmbiguousTimeOffsets(unspecified).Max() : Zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }

    /// <summary>The stored text of an instant: ISO 8601 with the Brussels offset of that instant.</summary>
    public static string Text(DateTimeOffset instant) =>
        Local(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(JsonElement text) =>
        DateTimeOffset.Parse(text.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>The UTC days an interval touches (end excluded): the busy index keeps one document per resource and day.</summary>
    public static IEnumerable<DateOnly> UtcDays(DateTimeOffset start, DateTimeOffset end)
    {
        var first = DateOnly.FromDateTime(start.UtcDateTime);
        var last = DateOnly.FromDateTime(end.UtcDateTime.AddTicks(-1));
        for (var day = first; day <= last; day = day.AddDays(1)) yield return day;
    }

    /// <summary>
    /// The Europe/Brussels calendar months an interval touches, each with the whole minutes of the interval inside it
    /// (elapsed time, rounded up: a month with a daylight-saving change counts the hours that really pass).
    /// </summary>
    public static IEnumerable<(string Month, long Minutes)> LocalMonths(DateTimeOffset start, DateTimeOffset end)
    {
        var local = Local(start);
        for (var month = new DateTime(local.Year, local.Month, 1); ; month = month.AddMonths(1))
        {
            var from = FromLocal(month);
            if (from >= end) yield break;
            var to = FromLocal(month.AddMonths(1));
            var inside = (to < end ? to : end) - (from > start ? from : start);
            if (inside > TimeSpan.Zero) yield return (MonthKey(month), (long)Math.Ceiling(inside.TotalMinutes));
        }
    }

    public static string MonthKey(DateTime month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The Europe/Brussels local dates an interval touches (its end excluded).</summary>
    public static IEnumerable<DateOnly> LocalDates(DateTimeOffset start, DateTimeOffset end)
    {
        var first = DateOnly.FromDateTime(Local(start).DateTime);
        var last = DateOnly.FromDateTime(Local(end.AddTicks(-1)).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1)) yield return day;
    }

    public const string DayKeyFormat = "yyyy-MM-dd";

    public static string DayKey(DateOnly day) => day.ToString(DayKeyFormat, CultureInfo.InvariantCulture);
}
