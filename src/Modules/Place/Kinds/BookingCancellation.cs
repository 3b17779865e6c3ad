using Commons.Core.Kinds;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// The rules of a booking's cancellation, so every writer — a member, a steward, a peer's request, the plain records
/// API — records the same thing: a booking that holds its time is cancelled only before it starts; the cancellation
/// says when (<c>cancelledAt</c>) and whether it came after the resource's deadline (<c>late</c>), judged here from
/// the write's own time so no writer can hide a late cancellation or invent one; once cancelled, that stays as it is.
/// </summary>
public static class BookingCancellation
{
    /// <summary>How old a cancellation's recorded instant may be at its write and still be the instant lateness is judged at.</summary>
    public static readonly TimeSpan RecordedInstantSlack = TimeSpan.FromSeconds(5);

    /// <summary>The booking as cancelled at <paramref name="at"/> under the resource's terms (what the place's services write).</summary>
    public static Booking Cancel(Booking booking, ResourceTerms? terms, DateTimeOffset at) =>
        booking with { State = BookingStates.Cancelled, CancelledAt = at, Late = terms?.IsLate(booking, at) ?? false };

    public static void Check(Booking? before, Booking booking, PlaceIndex index, DateTimeOffset now)
    {
        if (booking.State != BookingStates.Cancelled)
        {
            if (booking.Late) throw Mismatch("only a cancelled booking is late");
            return;
        }
        if (before?.State == BookingStates.Cancelled)
        {
            if (booking.Late != before.Late) throw Mismatch("a cancellation's lateness is recorded once and stays");
            return;
        }
        if (booking.CancelledAt is null)
            throw new RuleViolationException(PlaceCodes.CancelledAtRequired, "When cancelled?", "a cancelled booking says when it was cancelled (cancelledAt)", "cancelledAt");
        if (before is not { Holds: true })
        {
            if (booking.Late) throw Mismatch("a booking that held no time is not cancelled late");
            return;
        }
        if (now >= before.Start)
            throw new RuleViolationException(PlaceCodes.BookingStarted, "Already started",
                $"the booking started at {PlaceTime.Text(before.Start)}; it is no longer cancelled", "state");
        var terms = index.Resource(before.Resource) is { } resource ? ResourceTerms.Of(resource.Data) : null;
        // The writer read its clock a moment before the write: judged at the instant it recorded when that is a few
        // seconds old at most, so a cancellation at the deadline gets one answer; no writer gains more than that.
        var judgedAt = booking.CancelledAt is { } at && at <= now && now - at <= RecordedInstantSlack ? at : now;
        var late = terms?.IsLate(before, judgedAt) ?? false;
        if (booking.Late != late)
            throw Mismatch(late
                ? $"cancelled after the deadline ({terms!.CancellationDeadlineMinutes} minutes before the start): late is true"
                : "cancelled before the deadline: late is false");
    }

    private static RuleViolationException Mismatch(string detail) =>
        new(PlaceCodes.LateFlagMismatch, "Late flag mismatch", detail, "late");
}
