using System.Globalization;
using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using Commons.Modules.Place.Usage;

namespace Commons.Modules.Place.Views;

/// <summary>
/// <c>{resources dataset actor}/views/usage?month=YYYY-MM</c> (this Brussels month when absent): the fetching node's
/// own usage of this dataset's resources in the month, as the usage report counts it (<see cref="UsageSums"/>) — hours,
/// cost in € and credit units, late cancellations, confirmed bookings — and its bookings that start in the month, each
/// with its hours, cost and bill. Only the verified fetcher's: nothing of another organisation, not even a count;
/// not found to an unsigned fetch. Amounts are exact decimal strings.
/// </summary>
public sealed class UsageView(PlaceDirectory directory, IRecordStore store, IModuleStore modules, Payments.PlaceBilling billing) : IDatasetView
{
    public const string ViewName = "usage";

    public string Kind => ResourcesKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (request.FetcherActor is not { } fetcher) return null;
        var month = UsageMonth.Parse(request.Query.GetValueOrDefault("month"), request.Now);
        var held = HeldBookings.Of(directory, store, modules, request.Dataset.Slug, fetcher).Where(b => month.Contains(b.Booking.Start)).ToList();
        var prices = new Dictionary<string, Prices>();
        Prices PriceOf(string resource) => prices.TryGetValue(resource, out var p) ? p
            : prices[resource] = Prices.Of(modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(resource))?.Data);
        var table = UsageSums.Of(month, held.Select(b => b.Booking), PriceOf, organisation => organisation == fetcher, id => new BookingOrganisation(id, id));
        var row = table.Rows.FirstOrDefault(r => r.Organisation.Id == fetcher);
        return JsonSerializer.SerializeToElement(new
        {
            month = month.ToString(), starts = PlaceTime.Text(month.From), ends = PlaceTime.Text(month.To),
            hours = Amount(row?.Hours), costEur = Amount(row?.CostEur), costCredit = Amount(row?.CostCredit),
            lateCancellations = row?.LateCancellations ?? 0, confirmedBookings = row?.Bookings ?? 0,
            bookings = held.OrderBy(b => b.Booking.Start).ThenBy(b => b.Record.Id, StringComparer.Ordinal).Select(b => new
            {
                booking = b.Record.Id, resource = b.Booking.Resource, start = PlaceTime.Text(b.Booking.Start), end = PlaceTime.Text(b.Booking.End),
                state = b.Booking.State, late = b.Booking.Late,
                hours = Amount(b.Booking.IsConfirmed ? Prices.Hours(b.Booking.Length) : 0m),
                costEur = Amount(b.Booking.IsConfirmed ? PriceOf(b.Booking.Resource).Eur(b.Booking.Length) ?? 0m : 0m),
                costCredit = Amount(b.Booking.IsConfirmed ? PriceOf(b.Booking.Resource).Credit(b.Booking.Length) ?? 0m : 0m),
                payment = PaymentJson.Of(billing.Of(b.Record.Id)),
            }),
        });
    }

    private static string Amount(decimal? amount) => Prices.Round(amount ?? 0m).ToString("0.00", CultureInfo.InvariantCulture);
}
