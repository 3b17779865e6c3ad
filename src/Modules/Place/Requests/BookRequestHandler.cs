using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Requests;

/// <summary>
/// <c>place.book</c>, sent to a resources dataset's actor: the owner books the resource for the asking node, under the
/// same rules as a member's booking (they run in the write; a refusal's code goes back to the asker). The booking is
/// held by the requester's actor URL. A resource that names its <c>bookers</c> admits only them; one that needs a
/// steward's approval gets a pending booking (holding the time) that remembers the request, and the answer waits for
/// the steward (<see cref="ApprovalService"/>). Body: <c>{"resource", "start", "end", "purpose"?, "organisation"?}</c>;
/// result: <c>{"booking", "resource", "start", "end", "state"}</c>.
/// </summary>
public sealed class BookRequestHandler(
    PeerAdmission admission, PlaceDirectory directory, RecordService records, IModuleStore modules, IRecordStore store, Payments.PlaceBilling billing)
    : PlaceRequestHandler(admission)
{
    public const string Type = "place.book";

    public override string RequestType => Type;

    protected override RequestDecision Decide(IncomingRequest request)
    {
        var body = request.Body;
        var resource = PlaceInput.Required(PlaceInput.Field(body, "resource"), "resource");
        // A peer books what the dataset it follows offers, not a resource of another dataset of this node.
        var indexed = modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(resource));
        if (indexed?.Dataset != request.Dataset.Slug)
            return RequestDecision.Refuse(PlaceCodes.UnknownResource, $"'{request.Dataset.Slug}' has no resource '{resource}'");
        var terms = ResourceTerms.Of(indexed.Data);
        if (!terms.Admits(request.RequesterActor))
            return RequestDecision.Refuse(PlaceCodes.NotAllowed, $"{request.RequesterHost} is not among those who may book '{resource}'");
        if (directory.Bookings() is not { } bookings)
            return RequestDecision.Refuse(PlaceCodes.NoBookingsDataset, "this place takes no bookings yet");

        // Decided before the node stopped, not yet answered: the booking it made is the answer, not a conflict with itself.
        if (BookingsByRequest.Find(store, bookings.Key, request.RequestId) is { } made && Booking.Of(made.Data).BookedBy == request.RequesterActor)
            return Answer(made.Id, Booking.Of(made.Data));

        var steward = terms.StewardApproves;
        var booking = new Booking(resource, PlaceInput.Instant(PlaceInput.Field(body, "start"), "start"), PlaceInput.Instant(PlaceInput.Field(body, "end"), "end"),
            request.RequesterActor, steward ? BookingStates.Pending : BookingStates.Confirmed, PlaceInput.Field(body, "purpose"),
            PlaceInput.Field(body, "organisation"), RequestId: request.RequestId);
        var (record, _) = records.CreateDecided(bookings, request.RequesterActor, null, booking.ToData());
        return steward
            ? RequestDecision.Pending($"booking {record.Id} awaits a steward's approval")
            : RequestDecision.Accept(Result(record.Id, Booking.Of(record.Data)));
    }

    /// <summary>
    /// A booking confirmed at once is billed when its resource is priced in credit (also when the answer is the booking
    /// a request made before the node stopped: the bill's reference makes that once).
    /// </summary>
    protected override async Task AfterAsync(RequestDecision decision, CancellationToken ct)
    {
        if (decision is not { State: ExchangeState.Accepted, Result: { } result } || PlaceInput.Field(result, "booking") is not { } id
            || directory.Bookings() is not { } bookings || store.Get(bookings.Key, id) is not { Deleted: false } record) return;
        await billing.BillAsync(id, Booking.Of(record.Data), Payments.PlaceBilling.RequestedByPlace, ct);
    }

    private static RequestDecision Answer(string id, Booking booking) => booking.State switch
    {
        BookingStates.Pending => RequestDecision.Pending($"booking {id} awaits a steward's approval"),
        BookingStates.Refused => RequestDecision.Refuse(PlaceCodes.RefusedBySteward, $"booking {id} was refused by a steward"),
        _ => RequestDecision.Accept(Result(id, booking)),
    };

    internal static JsonElement Result(string id, Booking booking) => JsonSerializer.SerializeToElement(new Dictionary<string, string>
    {
        ["booking"] = id, ["resource"] = booking.Resource, ["start"] = PlaceTime.Text(booking.Start), ["end"] = PlaceTime.Text(booking.End),
        ["state"] = booking.State,
    });
}
