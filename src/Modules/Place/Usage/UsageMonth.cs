using System.Globalization;
using Commons.Core.Errors;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Usage;

/// <summary>A calendar month in Brussels: from its first midnight there to the next month's (a March or October month is an hour shorter or longer).</summary>
public readonly record struct UsageMonth(int Year, int Month)
{
    public DateTimeOffset From => PlaceTime.FromLocal(new DateTime(Year, Month, 1));
    public DateTimeOffset To => Next.From;
    public UsageMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);
    public UsageMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    public bool Contains(DateTimeOffset instant) => instant >= From && instant < To;

    public static UsageMonth Of(DateTimeOffset instant)
    {
        var local = PlaceTime.Local(instant);
        return new(local.Year, local.Month);
    }

    /// <summary>YYYY-MM, or the month of <paramref name="now"/> in Brussels when absent; anything else is refused.</summary>
    public static UsageMonth Parse(string? text, DateTimeOffset now, string field = "month")
    {
        if (string.IsNullOrWhiteSpace(text)) return Of(now);
        if (!DateTime.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || d.Year < 2000 || d.Year > 2999)
            throw ValidationException.For(field, "a month as YYYY-MM, such as 2026-03", ProblemCodes.InvalidParameter);
        return new(d.Year, d.Month);
    }
}
