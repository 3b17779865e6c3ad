using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Requests;

/// <summary>
/// <c>place.cancel</c>, sent to the resources dataset's actor: the asking node cancels a booking it holds. Body:
/// <c>{"booking"}</c>; result as for <c>place.book</c>, state cancelled. Cancelling a cancelled booking answers the same.
/// </summary>
public sealed class CancelRequestHandler(PeerAdmission admission, PlaceDirectory directory, RecordService records, IRecordStore store) : PlaceRequestHandler(admission)
{
    public const string Type = "place.cancel";

    public override string RequestType => Type;

    protected override RequestDecision Decide(IncomingRequest request)
    {
        var id = PlaceInput.Required(PlaceInput.Field(request.Body, "booking"), "booking");
        var bookings = directory.Bookings();
        var record = bookings is null ? null : store.Get(bookings.Key, id);
        // Another holder's booking is refused exactly like a missing one: a peer learns nothing of others' bookings.
        if (bookings is null || record is null || record.Deleted || Booking.Of(record.Data).BookedBy != request.RequesterActor)
            return RequestDecision.Refuse(PlaceCodes.NotAllowed, $"no booking '{id}' held by {request.RequesterActor}");
        var booking = Booking.Of(record.Data);
        if (booking.IsConfirmed)
        {
            var (cancelled, _) = records.UpdateDecided(bookings, request.RequesterActor, id,
                (booking with { State = BookingStates.Cancelled }).ToData(), record.Revision);
            booking = Booking.Of(cancelled.Data);
        }
        return RequestDecision.Accept(BookRequestHandler.Result(id, booking));
    }
}
