namespace Commons.Modules.Employers.Allocation;

/// <summary>One member's weight in a split: hours worked, or a planned share.</summary>
public sealed record MemberWeight(string Member, decimal Weight);

/// <summary>One member's part of a cost, to the cent.</summary>
public sealed record MemberAmount(string Member, decimal Amount);

/// <summary>
/// Splits an amount in euros among members by weight, to the cent, in decimal arithmetic only. The rule: each
/// member's exact part (cost × weight ÷ total weight) is rounded down to the cent; the cents still missing (fewer than
/// the number of members) go one by one to the members whose parts lost the most in rounding, ties to the member id
/// first in ordinal order. So the parts add up to the cost exactly, none is negative, and the same input always gives
/// the same parts. Pure: no I/O, no clock.
/// </summary>
public static class CostSplit
{
    public static IReadOnlyList<MemberAmount> Split(decimal cost, IReadOnlyList<MemberWeight> weights)
    {
        if (cost < 0 || decimal.Round(cost, 2) != cost) throw new ArgumentException($"a cost is positive with at most two decimals: {cost}", nameof(cost));
        if (weights.Any(w => w.Weight < 0)) throw new ArgumentException("a weight is never negative", nameof(weights));
        if (weights.Select(w => w.Member).Distinct(StringComparer.Ordinal).Count() != weights.Count) throw new ArgumentException("one weight per member", nameof(weights));
        // Whole numbers from here on: cents, and weights scaled by the largest number of decimals any has.
        var scale = weights.Count == 0 ? 0 : weights.Max(w => (int)w.Weight.Scale);
        var factor = Pow10(scale);
        var units = weights.Select(w => decimal.Truncate(w.Weight * factor)).ToList();
        var total = units.Sum();
        if (total == 0) throw new ArgumentException("the weights add up to zero: nothing to split by", nameof(weights));
        var cents = cost * 100m;

        var parts = new decimal[weights.Count];
        var remainders = new decimal[weights.Count];
        for (var i = 0; i < weights.Count; i++)
            (parts[i], remainders[i]) = DivRem(cents * units[i], total);
        var missing = cents - parts.Sum();
        // Largest remainder first, then the member id: one deterministic order for the missing cents.
        var order = Enumerable.Range(0, weights.Count)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => weights[i].Member, StringComparer.Ordinal)
            .ToList();
        for (var k = 0; k < missing; k++) parts[order[k]] += 1;
        return weights.Select((w, i) => new MemberAmount(w.Member, parts[i] / 100m)).ToList();
    }

    /// <summary>Exact whole-number division of non-negative whole decimals (decimal division may round its last digit).</summary>
    private static (decimal Quotient, decimal Remainder) DivRem(decimal dividend, decimal divisor)
    {
        var q = decimal.Floor(dividend / divisor);
        while (q * divisor > dividend) q -= 1;
        while ((q + 1) * divisor <= dividend) q += 1;
        return (q, dividend - q * divisor);
    }

    private static decimal Pow10(int n)
    {
        var f = 1m;
        for (var i = 0; i < n; i++) f *= 10m;
        return f;
    }
}
