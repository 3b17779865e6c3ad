using System.Globalization;

namespace Commons.Modules.Map.Matching;

/// <summary>
/// What must hold for an offer to answer a need, whatever the words say: one is a need and the other an offer, both
/// open, of the same category; their availability windows overlap (an open end is open); where both state a capacity
/// in the same unit, the offer's is at least the need's; neither has expired at <c>now</c>.
/// </summary>
public static class HardRules
{
    /// <summary>The rule the pair breaks (a short code), or null when it fits.</summary>
    public static string? Broken(Listing need, Listing offer, DateTimeOffset now)
    {
        if (!need.IsNeed || offer.IsNeed) return "kind";
        if (need.Closed || offer.Closed) return "closed";
        if (need.Category != offer.Category) return "category";
        if (offer.ExpiredAt(now) || need.ExpiredAt(now)) return "expired";
        if (!Overlap(need, offer)) return "window";
        if (need.Capacity is { } wanted && offer.Capacity is { } held && wanted.Unit == held.Unit && held.Amount < wanted.Amount) return "capacity";
        return null;
    }

    private static bool Overlap(Listing a, Listing b) =>
        (a.AvailableFrom ?? DateTimeOffset.MinValue) < (b.AvailableUntil ?? DateTimeOffset.MaxValue)
        && (b.AvailableFrom ?? DateTimeOffset.MinValue) < (a.AvailableUntil ?? DateTimeOffset.MaxValue);

    /// <summary>The reasons the hard rules give for a fitting pair, as people read them.</summary>
    internal static IEnumerable<MatchReason> Reasons(Listing need, Listing offer)
    {
        yield return new MatchReason("category", need.Category);
        if (need.AvailableFrom is not null || need.AvailableUntil is not null || offer.AvailableFrom is not null || offer.AvailableUntil is not null)
        {
            var from = Max(need.AvailableFrom, offer.AvailableFrom);
            var until = Min(need.AvailableUntil, offer.AvailableUntil);
            yield return new MatchReason("window", $"{Day(from)} – {Day(until)}");
        }
        if (need.Capacity is { } wanted && offer.Capacity is { } held && wanted.Unit == held.Unit)
            yield return new MatchReason("capacity", $"{held.Amount.ToString(CultureInfo.InvariantCulture)} ≥ {wanted.Amount.ToString(CultureInfo.InvariantCulture)} {held.Unit}");
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
    private static string Day(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…";
}
