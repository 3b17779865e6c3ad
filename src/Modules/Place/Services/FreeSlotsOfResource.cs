using System.Text.Json;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>
/// What the free-slot calculation reads from a resource's record, as its rules read it (<see cref="ResourceTerms"/>):
/// opening hours, closures and Belgian public holidays (whole Brussels days), and the minimum notice.
/// </summary>
public static class FreeSlotsOfResource
{
    public static IReadOnlyList<TimeRange> Slots(JsonElement resource, IEnumerable<BusyInterval> busy, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var earliest = now.AddMinutes(resource.TryGetProperty("minNoticeMinutes", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0);
        var start = from < earliest ? earliest : from;
        return FreeSlots.Between(start, to, OpeningHours.Of(resource), Closed(ResourceTerms.Of(resource), start, to),
            busy.Select(b => new TimeRange(b.Start, b.End)));
    }

    /// <summary>The Brussels days of [from, to) the resource is closed beyond its weekly hours: its closures and, when it says so, public holidays.</summary>
    public static IEnumerable<TimeRange> Closed(ResourceTerms terms, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from || (terms.Closures.Count == 0 && !terms.ClosedOnPublicHolidays)) yield break;
        foreach (var day in PlaceTime.LocalDates(from, to))
            if (terms.Closures.Any(c => c.Covers(day)) || (terms.ClosedOnPublicHolidays && BelgianHolidays.Contains(day)))
                yield return new TimeRange(PlaceTime.FromLocal(day.ToDateTime(TimeOnly.MinValue)), PlaceTime.FromLocal(day.AddDays(1).ToDateTime(TimeOnly.MinValue)));
    }
}
