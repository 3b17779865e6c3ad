using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Views;

/// <summary>
/// <c>{resources dataset actor}/views/mine</c>: the bookings of this dataset's resources held by the node that fetches
/// it (the verified signer), each with its state, late flag and times, and the request that made it — how the asking
/// node learns a steward's decision and the booking's id; the record's revision and last change (for the asking node's
/// calendar feed); for a booking priced in credit, its bill (<c>payment</c>: amount, state, code). Never another
/// holder's; not found to an unsigned fetch.
/// </summary>
public sealed class MineView(PlaceDirectory directory, IRecordStore store, IModuleStore modules, Payments.PlaceBilling billing) : IDatasetView
{
    public const string ViewName = "mine";
    /// <summary>The newest bookings shown: a node's history with one place stays far below this.</summary>
    public const int Most = 500;

    public string Kind => ResourcesKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (request.FetcherActor is not { } fetcher) return null;
        var held = HeldBookings.Of(directory, store, modules, request.Dataset.Slug, fetcher);
        return JsonSerializer.SerializeToElement(new
        {
            bookings = held.OrderByDescending(b => b.Booking.Start).Take(Most).Select(b => new
            {
                booking = b.Record.Id, revision = b.Record.Revision, updatedAt = PlaceTime.Text(b.Record.UpdatedAt),
                resource = b.Booking.Resource, start = PlaceTime.Text(b.Booking.Start), end = PlaceTime.Text(b.Booking.End),
                state = b.Booking.State, late = b.Booking.Late,
                cancelledAt = b.Booking.CancelledAt is { } at ? PlaceTime.Text(at) : null, request = b.Booking.RequestId,
                payment = PaymentJson.Of(billing.Of(b.Record.Id)),
            }),
        });
    }
}
