using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>
/// What members do with the shared place, and the one place that decides who may: any member with a write credential
/// books a resource they can see (pending until a steward approves, when the resource says so); a booking is cancelled
/// by its booker or by an editor of the bookings dataset; the
/// bookings themselves are listed to their bookers and to those who may read the dataset. The API, pages and CLI
/// only call this; the kinds' rules then hold inside the write. Without <see cref="ApprovalService"/> (a benchmark, where no
/// request between nodes waits) a pending booking's cancellation answers no request.
/// </summary>
public sealed class PlaceService(
    PlaceDirectory directory, RecordService records, IRecordStore store, IModuleStore modules, TimeProvider clock, ApprovalService? approvals = null)
{
    /// <summary>How far ahead the busy times of a resource are shown when no range is asked.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(14);

    public DateTimeOffset Now => clock.GetUtcNow();

    public IReadOnlyList<ResourceView> Resources(Caller caller, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var (start, end) = Range(from, to);
        return directory.ResourceDatasets().Where(d => DatasetAccess.CanSee(caller, d))
            .SelectMany(d => All(d.Key).Select(r => View(d, r, start, end)))
            .ToList();
    }

    public ResourceView Resource(Caller caller, string id, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var (start, end) = Range(from, to);
        var (dataset, record) = Visible(caller, id) ?? throw new NotFoundException($"no resource '{id}'");
        return View(dataset, record, start, end);
    }

    public BookingView Book(Caller caller, BookingRequest request)
    {
        DatasetAccess.RequireWrite(caller);
        // A resource the member cannot see is, for them, no resource: the same refusal the rule gives.
        if (Visible(caller, request.Resource) is not (_, var resource))
            throw new RuleViolationException(PlaceCodes.UnknownResource, "Unknown resource", $"there is no resource '{request.Resource}'", "resource");
        var bookings = BookingsDataset();
        var state = ApprovalRules.NeedsSteward(resource.Data) ? BookingStates.Pending : BookingStates.Confirmed;
        var booking = new Booking(request.Resource, request.Start, request.End, caller.Username, state, request.Purpose, request.Organisation);
        var (record, _) = records.CreateDecided(bookings, caller.Username, null, booking.ToData());
        return new BookingView(record.Id, record.Revision, Booking.Of(record.Data));
    }

    /// <param name="acceptLate">The member confirmed a cancellation after the resource's deadline, recorded as late.</param>
    public BookingView Cancel(Caller caller, string id, bool acceptLate = false)
    {
        DatasetAccess.RequireWrite(caller);
        var bookings = BookingsDataset();
        var record = store.Get(bookings.Key, id);
        if (record is null || record.Deleted) throw new NotFoundException($"no booking '{id}'");
        var booking = Booking.Of(record.Data);
        if (booking.BookedBy != caller.Username)
        {
            var level = DatasetAccess.LevelOf(caller, bookings);
            if (level == AccessLevel.None) throw new NotFoundException($"no booking '{id}'");
            if (level < AccessLevel.Edit) throw new ForbiddenException("only its booker or an editor of the bookings may cancel a booking");
        }
        return CancelHeld(bookings, record, caller.Username, acceptLate);
    }

    /// <summary>
    /// Cancels a booking that holds time (one that holds none is answered as it is), on behalf of <paramref name="by"/>,
    /// who may: the time is free at once. After the resource's cancellation deadline it is recorded as late, once
    /// <paramref name="acceptLate"/> says the canceller knows. A pending booking a peer asked for has its request
    /// answered then (<see cref="ApprovalService.Withdrawn"/>).
    /// </summary>
    internal BookingView CancelHeld(Dataset bookings, Record record, string by, bool acceptLate)
    {
        var booking = Booking.Of(record.Data);
        if (!booking.Holds) return new BookingView(record.Id, record.Revision, booking);
        var terms = modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(booking.Resource)) is { } r ? ResourceTerms.Of(r.Data) : null;
        var cancelled = BookingCancellation.Cancel(booking, terms, Now);
        if (cancelled.Late && !acceptLate)
            throw new ConflictException($"the cancellation deadline ({terms!.CancellationDeadlineMinutes} minutes before the start) has passed: " +
                "cancelling now is recorded as late; confirm to cancel anyway", PlaceCodes.CancellationDeadlinePassed);
        var (written, _) = records.UpdateDecided(bookings, by, record.Id, cancelled.ToData(), record.Revision);
        var view = new BookingView(written.Id, written.Revision, Booking.Of(written.Data));
        if (booking.State == BookingStates.Pending) approvals?.Withdrawn(booking);
        return view;
    }

    /// <summary>The caller's own bookings, or everyone's for those who may read the bookings dataset; newest first.</summary>
    public IReadOnlyList<BookingView> Bookings(Caller caller, string? resource = null)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        if (directory.Bookings() is not { } bookings) return [];
        var filters = new List<FieldFilter>();
        if (resource is not null) filters.Add(new FieldFilter("resource", JsonSerializer.SerializeToElement(resource)));
        if (!DatasetAccess.CanSee(caller, bookings)) filters.Add(new FieldFilter("bookedBy", JsonSerializer.SerializeToElement(caller.Username)));
        return All(bookings.Key, filters).Select(r => new BookingView(r.Id, r.Revision, Booking.Of(r.Data)))
            .OrderByDescending(b => b.Booking.Start).ToList();
    }

    /// <summary>One booking, to its booker and to those who may read the bookings dataset; not found to anyone else.</summary>
    public BookingView FindBooking(Caller caller, string id)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var bookings = directory.Bookings();
        var record = bookings is null ? null : store.Get(bookings.Key, id);
        if (bookings is null || record is null || record.Deleted) throw new NotFoundException($"no booking '{id}'");
        var booking = Kinds.Booking.Of(record.Data);
        if (booking.BookedBy != caller.Username && !DatasetAccess.CanSee(caller, bookings)) throw new NotFoundException($"no booking '{id}'");
        return new BookingView(record.Id, record.Revision, booking);
    }

    private Dataset BookingsDataset() => directory.Bookings() ?? throw new ConflictException(
        "this node has no dataset of kind place.bookings yet; an administrator creates one", PlaceCodes.NoBookingsDataset);

    private (Dataset, Record)? Visible(Caller caller, string id)
    {
        if (modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(id)) is not { } indexed) return null;
        if (directory.Find(indexed.Dataset) is not { } dataset || !DatasetAccess.CanSee(caller, dataset)) return null;
        return store.Get(dataset.Key, id) is { Deleted: false } record ? (dataset, record) : null;
    }

    private ResourceView View(Dataset dataset, Record record, DateTimeOffset from, DateTimeOffset to) =>
        new(record.Id, dataset.Slug, record.Data, modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).BusyBetween(record.Id, from, to)));

    private (DateTimeOffset, DateTimeOffset) Range(DateTimeOffset? from, DateTimeOffset? to)
    {
        var start = from ?? Now;
        var end = to ?? start + Ahead;
        if (end <= start || end - start > TimeSpan.FromDays(62))
            throw ValidationException.For("to", "the range ends after it starts and spans at most 62 days", ProblemCodes.InvalidParameter);
        return (start, end);
    }

    private IEnumerable<Record> All(int datasetKey, IReadOnlyList<FieldFilter>? filters = null)
    {
        string? cursor = null;
        do
        {
            var page = store.Query(datasetKey, new RecordQuery { Filters = filters ?? [], Limit = 200, Cursor = cursor });
            foreach (var r in page.Items) yield return r;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }
}
