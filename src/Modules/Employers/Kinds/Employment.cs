using System.Globalization;

namespace Commons.Modules.Employers.Kinds;

/// <summary>
/// The months a worker is employed in, from the start and end dates of the workers kind (v2; both inclusive, either
/// open). A month counts when at least one of its days is employed: hours are accepted for it, the contract's hours
/// are those of the employed days, and the month's close splits the worker's cost. Pure.
/// </summary>
public static class Employment
{
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The employed days of <paramref name="month"/> (YYYY-MM): zero when the worker is not employed then.</summary>
    public static int DaysEmployed(string? start, string? end, string month)
    {
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = first.AddMonths(1).AddDays(-1);
        var from = TryParseDate(start, out var s) && s > first ? s : first;
        var to = TryParseDate(end, out var e) && e < last ? e : last;
        return to < from ? 0 : to.DayNumber - from.DayNumber + 1;
    }

    public static bool Covers(GroupIndex.WorkerEntry worker, string month) => DaysEmployed(worker.Start, worker.End, month) > 0;
}
