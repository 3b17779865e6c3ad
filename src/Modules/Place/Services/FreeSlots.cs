using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>A stretch of time, start included, end excluded.</summary>
public sealed record TimeRange(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// A resource's free time between two instants: its opening hours, read on the Brussels wall clock day by day (so an
/// opening at 08:00 is 08:00 in summer and in winter, and the day the clocks change is an hour shorter or longer),
/// minus its closures and the times its bookings hold. Pure: the caller reads the resource and the busy index.
/// </summary>
public static class FreeSlots
{
    /// <param name="hours">The weekly opening hours; null when the resource is open at any time.</param>
    /// <param name="closed">Closures and holidays, as instants.</param>
    /// <param name="busy">The times held by bookings (pending and confirmed).</param>
    public static IReadOnlyList<TimeRange> Between(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<OpeningHours>? hours,
        IEnumerable<TimeRange> closed, IEnumerable<TimeRange> busy)
    {
        if (to <= from) return [];
        var open = hours is null ? [new TimeRange(from, to)] : Opening(from, to, hours);
        var blocked = Merge(closed.Concat(busy));
        var free = new List<TimeRange>();
        foreach (var range in Merge(open))
        {
            var start = range.Start < from ? from : range.Start;
            var end = range.End > to ? to : range.End;
            foreach (var b in blocked)
            {
                if (b.End <= start) continue;
                if (b.Start >= end) break;
                if (b.Start > start) free.Add(new TimeRange(start, b.Start));
                if (b.End > start) start = b.End;
            }
            if (start < end) free.Add(new TimeRange(start, end));
        }
        return free.Where(r => r.Start < r.End).ToList();
    }

    /// <summary>Every opening of the Brussels days the range touches, from the day before (an opening until 24:00 may reach past midnight UTC).</summary>
    private static IEnumerable<TimeRange> Opening(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<OpeningHours> hours)
    {
        var first = DateOnly.FromDateTime(PlaceTime.Local(from).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(PlaceTime.Local(to).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var midnight = day.ToDateTime(TimeOnly.MinValue);
            foreach (var h in hours.Where(h => h.Days.Contains(day.DayOfWeek)))
            {
                var range = new TimeRange(PlaceTime.FromLocal(midnight + h.Opens), PlaceTime.FromLocal(midnight + h.Closes));
                if (range.Start < to && from < range.End) yield return range;
            }
        }
    }

    /// <summary>Sorted, with overlapping and touching ranges joined.</summary>
    private static List<TimeRange> Merge(IEnumerable<TimeRange> ranges)
    {
        var merged = new List<TimeRange>();
        foreach (var r in ranges.Where(r => r.Start < r.End).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = r.End > merged[^1].End ? r.End : merged[^1].End };
            else merged.Add(r);
        }
        return merged;
    }
}
