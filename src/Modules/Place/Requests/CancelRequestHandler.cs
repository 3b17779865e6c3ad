using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Requests;

/// <summary>
/// <c>place.cancel</c>, sent to the resources dataset's actor: the asking node cancels a booking it holds, named by its
/// id (<c>{"booking"}</c>) or, while it still awaits a steward and the asker has not learnt its id, by the request that
/// made it (<c>{"request"}</c>). Result as for <c>place.book</c>, state cancelled; cancelling a booking that holds
/// nothing any more answers its state. A pending booking's own request is answered then, refused, so it waits no more.
/// </summary>
public sealed class CancelRequestHandler(PeerAdmission admission, PlaceDirectory directory, PlaceService place, IRecordStore store) : PlaceRequestHandler(admission)
{
    public const string Type = "place.cancel";

    public override string RequestType => Type;

    protected override RequestDecision Decide(IncomingRequest request)
    {
        var id = PlaceInput.Field(request.Body, "booking");
        var requestId = id is null ? PlaceInput.Required(PlaceInput.Field(request.Body, "request"), "booking") : null;
        var bookings = directory.Bookings();
        var record = bookings is null ? null : id is not null ? store.Get(bookings.Key, id) : BookingsByRequest.Find(store, bookings.Key, requestId!);
        // Another holder's booking is refused exactly like a missing one: a peer learns nothing of others' bookings.
        if (bookings is null || record is null || record.Deleted || Booking.Of(record.Data).BookedBy != request.RequesterActor)
            return RequestDecision.Refuse(PlaceCodes.NotAllowed, $"no booking '{id ?? requestId}' held by {request.RequesterActor}");
        // The peer asked knowing the rules; after the deadline its cancellation is recorded as late.
        var cancelled = place.CancelHeld(bookings, record, request.RequesterActor, acceptLate: true);
        return RequestDecision.Accept(BookRequestHandler.Result(cancelled.Id, cancelled.Booking));
    }
}
