using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Usage;

/// <summary>One organisation's month: confirmed bookings that started in it, their hours and cost, and its late cancellations.</summary>
public sealed record UsageRow(BookingOrganisation Organisation, decimal Hours, decimal CostEur, decimal CostCredit, int LateCancellations, int Bookings);

/// <summary>The month's rows (this node's organisation first, then by name) and their totals.</summary>
public sealed record UsageTable(UsageMonth Month, IReadOnlyList<UsageRow> Rows, UsageRow Total);

/// <summary>
/// The monthly usage report per booking organisation. The hosting organisation's stewards (editors of the bookings
/// dataset) see every organisation; any other member sees their own organisation, this node's. A booking counts in the
/// Brussels month it starts in; amounts are summed exactly and rounded to the cent (half away from zero) once per
/// organisation; the totals add the rounded rows, so the table adds up.
/// </summary>
public sealed class UsageReport(PlaceDirectory directory, IRecordStore store, IModuleStore modules, INodeStore node, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    public UsageTable Of(Caller caller, UsageMonth month)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var bookings = directory.Bookings();
        var everyone = bookings is not null && DatasetAccess.CanSee(caller, bookings) && DatasetAccess.LevelOf(caller, bookings) >= AccessLevel.Edit;
        var sums = new Dictionary<string, Sum> { [BookingOrganisation.HostId] = new() };
        if (bookings is not null)
        {
            var prices = new Dictionary<string, Prices>();
            foreach (var b in BookingRecords.Of(store, bookings).Select(r => r.Booking).Where(b => month.Contains(b.Start)))
            {
                var organisation = BookingOrganisation.IdOf(b);
                if (!everyone && organisation != BookingOrganisation.HostId) continue;
                var sum = sums.TryGetValue(organisation, out var known) ? known : sums[organisation] = new Sum();
                if (b.State == BookingStates.Cancelled && b.Late) sum.Late++;
                if (!b.IsConfirmed) continue;
                var price = prices.TryGetValue(b.Resource, out var p) ? p : prices[b.Resource] = PriceOf(b.Resource);
                sum.Count++;
                sum.Hours += Prices.Hours(b.Length);
                sum.Eur += price.Eur(b.Length) ?? 0m;
                sum.Credit += price.Credit(b.Length) ?? 0m;
            }
        }
        var rows = sums.Select(s => s.Value.Row(BookingOrganisation.Of(s.Key, node)))
            .OrderBy(r => r.Organisation.IsHost ? 0 : 1).ThenBy(r => r.Organisation.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var total = new UsageRow(new BookingOrganisation("total", "total"), rows.Sum(r => r.Hours), rows.Sum(r => r.CostEur), rows.Sum(r => r.CostCredit),
            rows.Sum(r => r.LateCancellations), rows.Sum(r => r.Bookings));
        return new UsageTable(month, rows, total);
    }

    private Prices PriceOf(string resource) => Prices.Of(modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(resource))?.Data);

    private sealed class Sum
    {
        public decimal Hours, Eur, Credit;
        public int Late, Count;

        public UsageRow Row(BookingOrganisation organisation) =>
            new(organisation, Prices.Round(Hours), Prices.Round(Eur), Prices.Round(Credit), Late, Count);
    }
}
