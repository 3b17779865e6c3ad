namespace Commons.Modules.Place.Kinds;

/// <summary>
/// The codes the place's rules and requests answer with: the same code on the API (problem+json), in a page's inline
/// error and in a refused request from a peer. Listed in docs/problems.md, "Modules — place".
/// </summary>
public static class PlaceCodes
{
    /// <summary>409: another booking (pending or confirmed) holds the resource for part of the time.</summary>
    public const string BookingConflict = "booking_conflict";
    /// <summary>422: the booking names no resource of the place.</summary>
    public const string UnknownResource = "unknown_resource";
    /// <summary>422: the end is not after the start.</summary>
    public const string BookingEndsBeforeStart = "booking_ends_before_start";
    /// <summary>422: longer than the resource's maximum length.</summary>
    public const string BookingTooLong = "booking_too_long";
    /// <summary>422: not within the resource's opening hours (Europe/Brussels) of the day it starts.</summary>
    public const string OutsideOpeningHours = "outside_opening_hours";
    /// <summary>422: starts before now.</summary>
    public const string BookingInPast = "booking_in_past";
    /// <summary>422: starts sooner than the resource's minimum notice.</summary>
    public const string NoticeTooShort = "notice_too_short";
    /// <summary>409: a resource of another resources dataset already has this id.</summary>
    public const string ResourceIdTaken = "resource_id_taken";
    /// <summary>409: the resource still has confirmed bookings to come; cancel them first.</summary>
    public const string ResourceInUse = "resource_in_use";
    /// <summary>409: the node has no dataset of kind place.bookings to write the booking in.</summary>
    public const string NoBookingsDataset = "no_bookings_dataset";
    /// <summary>Refused request: the asking node is neither a follower of the resources dataset nor an allowed peer, or the booking is not theirs.</summary>
    public const string NotAllowed = "not_allowed";

    /// <summary>403 (a refused request): a steward of the place refused the booking it asked for.</summary>
    public const string RefusedBySteward = "refused_by_steward";
    /// <summary>409: only a pending booking is approved or refused; this one was decided (or cancelled) already.</summary>
    public const string BookingNotPending = "booking_not_pending";
    /// <summary>422: a closure of the resource covers part of the booking (Europe/Brussels dates).</summary>
    public const string ResourceClosed = "resource_closed";
    /// <summary>422: the resource closes on Belgian public holidays and the booking touches one.</summary>
    public const string PublicHoliday = "public_holiday";
    /// <summary>409: the organisation's pending and confirmed hours of the resource in a Brussels month would pass its quota.</summary>
    public const string QuotaExceeded = "quota_exceeded";
    /// <summary>422: the resource lists the nodes that may book it, and the booking's holder is not one of them.</summary>
    public const string BookerNotListed = "booker_not_listed";
    /// <summary>422: a booking is not cancelled once it has started.</summary>
    public const string BookingStarted = "booking_started";
    /// <summary>422: <c>late</c> does not say what the cancellation deadline says (true exactly when cancelled after it).</summary>
    public const string LateFlagMismatch = "late_flag_mismatch";
    /// <summary>422: a cancelled booking says when it was cancelled.</summary>
    public const string CancelledAtRequired = "cancelled_at_required";
    /// <summary>409: the cancellation deadline has passed; cancelling now is recorded as late, and the member confirms it first.</summary>
    public const string CancellationDeadlinePassed = "cancellation_deadline_passed";
    /// <summary>422: a closure that ends before it starts.</summary>
    public const string InvalidClosure = "invalid_closure";

    public static readonly IReadOnlyList<string> OfResources = [ResourceIdTaken, ResourceInUse, NotAllowed, NoBookingsDataset, InvalidClosure, RefusedBySteward];

    public static readonly IReadOnlyList<string> OfBookings =
    [
        BookingConflict, UnknownResource, BookingEndsBeforeStart, BookingTooLong, OutsideOpeningHours, BookingInPast, NoticeTooShort,
        ResourceClosed, PublicHoliday, QuotaExceeded, BookerNotListed, BookingStarted, LateFlagMismatch, CancelledAtRequired,
        CancellationDeadlinePassed, BookingNotPending,
    ];
}
