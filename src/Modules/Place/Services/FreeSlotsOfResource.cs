using System.Globalization;
using System.Text.Json;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>
/// What the free-slot calculation reads from a resource's record: its opening hours, its closures and public holidays
/// (each a Brussels day, <c>"2026-12-25"</c>, or a range of days or instants), and its minimum notice.
/// </summary>
public static class FreeSlotsOfResource
{
    public static IReadOnlyList<TimeRange> Slots(JsonElement resource, IEnumerable<BusyInterval> busy, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var earliest = now.AddMinutes(resource.TryGetProperty("minNoticeMinutes", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0);
        var start = from < earliest ? earliest : from;
        return FreeSlots.Between(start, to, OpeningHours.Of(resource), Closed(resource), busy.Select(b => new TimeRange(b.Start, b.End)));
    }

    /// <summary>The times a resource is closed beyond its weekly hours: <c>closures</c> and <c>holidays</c>, whichever it has.</summary>
    public static IEnumerable<TimeRange> Closed(JsonElement resource)
    {
        foreach (var field in new[] { "closures", "holidays" })
        {
            if (!resource.TryGetProperty(field, out var list) || list.ValueKind != JsonValueKind.Array) continue;
            foreach (var entry in list.EnumerateArray())
                if (Range(entry) is { } range) yield return range;
        }
    }

    private static TimeRange? Range(JsonElement entry)
    {
        if (entry.ValueKind == JsonValueKind.String) return Days(entry.GetString(), entry.GetString());
        if (entry.ValueKind != JsonValueKind.Object) return null;
        var start = Text(entry, "start") ?? Text(entry, "from") ?? Text(entry, "date");
        var end = Text(entry, "end") ?? Text(entry, "to") ?? start;
        if (start is null || end is null) return null;
        if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.None, out var s) && start.Contains('T')
            && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.None, out var e) && end.Contains('T'))
            return new TimeRange(s, e);
        return Days(start, end);
    }

    /// <summary>Whole Brussels days, the last one included.</summary>
    private static TimeRange? Days(string? first, string? last)
    {
        if (!DateOnly.TryParseExact(first, PlaceTime.DayKeyFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
            || !DateOnly.TryParseExact(last, PlaceTime.DayKeyFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var b)) return null;
        return new TimeRange(PlaceTime.FromLocal(a.ToDateTime(TimeOnly.MinValue)), PlaceTime.FromLocal(b.AddDays(1).ToDateTime(TimeOnly.MinValue)));
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
