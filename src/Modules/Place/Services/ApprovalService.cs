using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Requests;

namespace Commons.Modules.Place.Services;

/// <summary>
/// The stewards' side of a resource that needs approval: the pending bookings (members' and peers'), approved
/// (confirmed) or refused. A steward here is an editor of the bookings dataset, decided once from the caller. A peer's
/// booking came with a request still pending between the nodes: it is answered with the decision, signed by the
/// resources dataset as the handler's own answer would have been.
/// </summary>
public sealed class ApprovalService(PlaceDirectory directory, RecordService records, IRecordStore store, IExchangeGateway exchanges, Payments.PlaceBilling billing)
{
    /// <summary>True when the caller may approve and refuse bookings (an editor of the bookings dataset).</summary>
    public bool MayApprove(Caller caller) =>
        caller.CanRead && directory.Bookings() is { } bookings && DatasetAccess.LevelOf(caller, bookings) >= AccessLevel.Edit;

    /// <summary>The bookings waiting for a steward, the soonest first; none for those who may not approve.</summary>
    public IReadOnlyList<PendingBooking> Pending(Caller caller)
    {
        if (!MayApprove(caller)) return [];
        var bookings = directory.Bookings()!;
        var pending = new List<PendingBooking>();
        string? cursor = null;
        do
        {
            var page = store.Query(bookings.Key, new RecordQuery
            {
                Filters = [new FieldFilter("state", System.Text.Json.JsonSerializer.SerializeToElement(BookingStates.Pending))], Limit = 200, Cursor = cursor,
            });
            pending.AddRange(page.Items.Where(r => !r.Deleted).Select(r => new PendingBooking(new BookingView(r.Id, r.Revision, Booking.Of(r.Data)), r.CreatedAt)));
            cursor = page.NextCursor;
        } while (cursor is not null);
        return pending.OrderBy(p => p.View.Booking.Start).ToList();
    }

    /// <summary>Confirms a pending booking; another organisation's, on a resource priced in credit, is then billed (<see cref="Payments.PlaceBilling"/>).</summary>
    public async Task<BookingView> ApproveAsync(Caller caller, string id, CancellationToken ct)
    {
        var (bookings, record, booking) = PendingOne(caller, id);
        var (written, _) = records.UpdateDecided(bookings, caller.Username, id, (booking with { State = BookingStates.Confirmed }).ToData(), record.Revision);
        var approved = Booking.Of(written.Data);
        Answer(booking, RequestDecision.Accept(BookRequestHandler.Result(id, approved)), caller.Username);
        await billing.BillAsync(id, approved, caller.Username, ct);
        return new BookingView(written.Id, written.Revision, approved);
    }

    public BookingView Refuse(Caller caller, string id)
    {
        var (bookings, record, booking) = PendingOne(caller, id);
        var (written, _) = records.UpdateDecided(bookings, caller.Username, id, (booking with { State = BookingStates.Refused }).ToData(), record.Revision);
        Answer(booking, RequestDecision.Refuse(PlaceCodes.RefusedBySteward, "a steward of the place refused the booking"), caller.Username);
        return new BookingView(written.Id, written.Revision, Booking.Of(written.Data));
    }

    /// <summary>A pending booking cancelled before a steward decided: the peer's request that made it is answered, refused.</summary>
    internal void Withdrawn(Booking booking) =>
        Answer(booking, RequestDecision.Refuse(Core.Errors.ProblemCodes.RequestRefused, "the booking was cancelled before a steward decided"), null);

    private (Dataset Bookings, Record Record, Booking Booking) PendingOne(Caller caller, string id)
    {
        DatasetAccess.RequireWrite(caller);
        var bookings = directory.Bookings() ?? throw new NotFoundException($"no booking '{id}'");
        var level = DatasetAccess.LevelOf(caller, bookings);
        var record = store.Get(bookings.Key, id);
        if (record is null || record.Deleted || level == AccessLevel.None) throw new NotFoundException($"no booking '{id}'");
        if (level < AccessLevel.Edit) throw new ForbiddenException("only an editor of the bookings approves or refuses a booking");
        var booking = Booking.Of(record.Data);
        if (booking.State != BookingStates.Pending)
            throw new ConflictException($"booking '{id}' is {booking.State}, not pending", PlaceCodes.BookingNotPending);
        return (bookings, record, booking);
    }

    /// <summary>
    /// The booking is written before its request is answered: if the node stops in between, the peer still learns the
    /// state from the <c>mine</c> view, whereas an answer sent for a write that failed would tell it something false.
    /// A request answered meanwhile (or none: a member's booking) leaves nothing to send.
    /// </summary>
    private void Answer(Booking booking, RequestDecision decision, string? by)
    {
        if (booking.RequestId is not { } requestId || exchanges.Find(requestId) is not { Direction: ExchangeDirection.Incoming, State: ExchangeState.Pending }) return;
        try { exchanges.AnswerPending(requestId, decision, by ?? "place"); }
        catch (ConflictException e) when (e.Code == Core.Errors.ProblemCodes.ExchangeNotPending) { }
    }
}

/// <summary>A booking waiting for a steward, and since when.</summary>
public sealed record PendingBooking(BookingView View, DateTimeOffset Since);
