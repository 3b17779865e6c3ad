using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Usage;

/// <summary>One organisation's month: confirmed bookings that started in it, their hours and cost, and its late cancellations.</summary>
public sealed record UsageRow(BookingOrganisation Organisation, decimal Hours, decimal CostEur, decimal CostCredit, int LateCancellations, int Bookings);

/// <summary>The month's rows (this node's organisation first, then by name) and their totals.</summary>
public sealed record UsageTable(UsageMonth Month, IReadOnlyList<UsageRow> Rows, UsageRow Total);

/// <summary>
/// The report's arithmetic. A booking counts in the Brussels month it starts in: a confirmed one for its elapsed hours
/// (a booking across the change to summer time is an hour shorter on the wall clock, and counted so) and its cost
/// (<see cref="Prices"/>); a cancelled one marked late as a late cancellation. Amounts are summed exactly and rounded
/// to the cent, half away from zero, once per organisation; the totals add the rounded rows, so the table adds up.
/// This node's organisation always has a row.
/// </summary>
public static class UsageSums
{
    public static UsageTable Of(UsageMonth month, IEnumerable<Booking> bookings, Func<string, Prices> priceOf,
        Func<string, bool> shown, Func<string, BookingOrganisation> organisationOf)
    {
        var sums = new Dictionary<string, Sum> { [BookingOrganisation.HostId] = new() };
        foreach (var b in bookings.Where(b => month.Contains(b.Start)))
        {
            var organisation = BookingOrganisation.IdOf(b);
            if (!shown(organisation)) continue;
            var sum = sums.TryGetValue(organisation, out var known) ? known : sums[organisation] = new Sum();
            if (b.State == BookingStates.Cancelled && b.Late) sum.Late++;
            if (!b.IsConfirmed) continue;
            var price = priceOf(b.Resource);
            sum.Count++;
            sum.Hours += Prices.Hours(b.Length);
            sum.Eur += price.Eur(b.Length) ?? 0m;
            sum.Credit += price.Credit(b.Length) ?? 0m;
        }
        var rows = sums.Select(s => s.Value.Row(organisationOf(s.Key)))
            .OrderBy(r => r.Organisation.IsHost ? 0 : 1).ThenBy(r => r.Organisation.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Organisation.Id, StringComparer.Ordinal)
            .ToList();
        var total = new UsageRow(new BookingOrganisation("total", "total"), rows.Sum(r => r.Hours), rows.Sum(r => r.CostEur), rows.Sum(r => r.CostCredit),
            rows.Sum(r => r.LateCancellations), rows.Sum(r => r.Bookings));
        return new UsageTable(month, rows, total);
    }

    private sealed class Sum
    {
        public decimal Hours, Eur, Credit;
        public int Late, Count;

        public UsageRow Row(BookingOrganisation organisation) =>
            new(organisation, Prices.Round(Hours), Prices.Round(Eur), Prices.Round(Credit), Late, Count);
    }
}
