using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The rules schema v2 brings — closures, public holidays, the monthly quota, who may book, pending holds, and the
/// cancellation's time, lateness and start — each refused with its own code, leaving the records, the feed, the busy
/// days and the quota ledger exactly as they were.
/// </summary>
public sealed class BookingTermsRuleTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithStudio();

    public void Dispose() => _node.Dispose();

    private T Refused<T>(Func<object> write) where T : CommonsException
    {
        var before = _node.Snapshot();
        var e = Assert.Throws<T>(() => write());
        Assert.Equal(before, _node.Snapshot());
        return e;
    }

    [Theory]
    [InlineData("2026-04-06T10:00:00+02:00", "2026-04-06T12:00:00+02:00")]
    [InlineData("2026-04-10T20:00:00+02:00", "2026-04-11T08:00:00+02:00")]
    [InlineData("2026-04-05T20:00:00+02:00", "2026-04-06T01:00:00+02:00")]
    [InlineData("2026-04-05T22:30:00Z", "2026-04-05T23:30:00Z")]
    public void A_booking_a_closure_covers_in_part_is_refused_resource_closed_with_the_reason(string start, string end)
    {
        var e = Refused<RuleViolationException>(() => _node.Write(start, end));
        Assert.Equal((PlaceCodes.ResourceClosed, "start"), (e.Code, e.Path));
        Assert.Contains("Painting", e.Detail);
    }

    [Fact]
    public void The_days_around_a_closure_stay_bookable_its_end_being_midnight_or_the_next_day()
    {
        _node.Write("2026-04-05T20:00:00+02:00", "2026-04-06T00:00:00+02:00");
        _node.Write("2026-04-11T00:00:00+02:00", "2026-04-11T02:00:00+02:00");
    }

    [Theory]
    [InlineData("2026-05-14T10:00:00+02:00", "2026-05-14T12:00:00+02:00")] // Ascension
    [InlineData("2026-05-25T10:00:00+02:00", "2026-05-25T12:00:00+02:00")] // Whit Monday
    [InlineData("2026-05-01T10:00:00+02:00", "2026-05-01T12:00:00+02:00")] // Labour Day
    [InlineData("2026-05-13T22:00:00+02:00", "2026-05-14T01:00:00+02:00")] // into Ascension at night
    [InlineData("2026-07-20T22:30:00Z", "2026-07-20T23:30:00Z")]           // 21 July, 00:30 in Brussels
    public void A_booking_touching_a_public_holiday_is_refused_when_the_resource_closes_on_them(string start, string end)
    {
        var e = Refused<RuleViolationException>(() => _node.Write(start, end, state: BookingStates.Pending));
        Assert.Equal((PlaceCodes.PublicHoliday, "start"), (e.Code, e.Path));
    }

    [Fact]
    public void A_resource_that_does_not_close_on_public_holidays_is_booked_on_them()
    {
        _node.Write("2026-05-14T10:00:00+02:00", "2026-05-14T12:00:00+02:00", resource: "hall");
        _node.Write("2026-05-13T20:00:00+02:00", "2026-05-14T00:00:00+02:00");
    }

    [Fact]
    public void The_quota_counts_pending_and_confirmed_hours_per_organisation_and_a_cancellation_gives_them_back()
    {
        var six = _node.Write("2026-04-14T08:00:00+02:00", "2026-04-14T14:00:00+02:00", state: BookingStates.Pending);
        var e = Refused<RuleConflictException>(() => _node.Write("2026-04-15T08:00:00+02:00", "2026-04-15T13:00:00+02:00"));
        Assert.Equal(PlaceCodes.QuotaExceeded, e.Code);
        Assert.Contains("2026-04", e.Detail);
        _node.Write("2026-04-15T08:00:00+02:00", "2026-04-15T12:00:00+02:00"); // exactly the ten hours
        // Another organisation has its own ten hours; May is another month.
        _node.Write("2026-04-16T08:00:00+02:00", "2026-04-16T18:00:00+02:00", PlaceTerms.Partner);
        _node.Write("2026-05-04T08:00:00+02:00", "2026-05-04T18:00:00+02:00");

        _node.CancelAsThePlaceDoes(six.Id);
        _node.Write("2026-04-17T08:00:00+02:00", "2026-04-17T14:00:00+02:00");
        Assert.Contains(("studio", "2026-04", Organisations.OwnMembers, 600L), _node.Ledger());
        Assert.Contains(("studio", "2026-04", "partner.example", 600L), _node.Ledger());
    }

    [Fact]
    public void Only_a_listed_node_books_a_resource_that_lists_its_bookers_while_members_always_may()
    {
        var e = Refused<RuleViolationException>(() => _node.Write("2026-04-14T08:00:00+02:00", "2026-04-14T10:00:00+02:00", PlaceTerms.Other));
        Assert.Equal((PlaceCodes.BookerNotListed, "bookedBy"), (e.Code, e.Path));
        _node.Write("2026-04-14T08:00:00+02:00", "2026-04-14T10:00:00+02:00", PlaceTerms.Partner);
        _node.Write("2026-04-14T10:00:00+02:00", "2026-04-14T12:00:00+02:00", "alice");
        _node.Write("2026-04-14T10:00:00+02:00", "2026-04-14T12:00:00+02:00", PlaceTerms.Other, resource: "hall");
    }

    [Fact]
    public void A_pending_booking_holds_its_time_until_refused_and_its_approval_is_not_judged_again()
    {
        var pending = _node.Write("2026-03-20T12:00:00+01:00", "2026-03-20T13:00:00+01:00", state: BookingStates.Pending, resource: "hall");
        var e = Refused<RuleConflictException>(() => _node.Write("2026-03-20T12:30:00+01:00", "2026-03-20T14:00:00+01:00", "bob", resource: "hall"));
        Assert.Equal(PlaceCodes.BookingConflict, e.Code);
        Assert.Throws<RuleConflictException>(() => _node.Write("2026-03-20T11:30:00+01:00", "2026-03-20T12:30:00+01:00", "bob", BookingStates.Pending, "hall"));

        // The steward approves once the notice has passed: the same hold, not a new one.
        _node.Clock.Advance(TimeSpan.FromMinutes(90));
        var approved = _node.Records.Update(Admin, "bookings", pending.Id,
            (Booking.Of(pending.Data) with { State = BookingStates.Confirmed }).ToData(), null, pending.Revision).Record;
        Assert.Single(_node.Place.Resource(Admin, "hall").Busy);

        _node.Records.Update(Admin, "bookings", approved.Id, (Booking.Of(approved.Data) with { State = BookingStates.Refused }).ToData(), null, approved.Revision);
        Assert.Empty(_node.Place.Resource(Admin, "hall").Busy);
        Assert.DoesNotContain(_node.Ledger(), l => l.Resource == "hall");
    }

    [Fact]
    public void A_booking_that_has_started_is_no_longer_cancelled()
    {
        var booking = _node.Place.Book(Alice, Ask("hall", "2026-03-20T12:00:00+01:00", "2026-03-20T13:00:00+01:00"));
        _node.Clock.Advance(TimeSpan.FromHours(2));
        var e = Refused<RuleViolationException>(() => _node.Place.Cancel(Alice, booking.Id));
        Assert.Equal((PlaceCodes.BookingStarted, "state"), (e.Code, e.Path));
        Assert.Equal(PlaceCodes.BookingStarted, Refused<RuleViolationException>(() => _node.CancelAsThePlaceDoes(booking.Id)).Code);
    }

    [Fact]
    public void A_cancellation_says_when_and_its_lateness_is_what_the_deadline_says_and_stays()
    {
        var soon = _node.Write("2026-03-21T09:00:00+01:00", "2026-03-21T11:00:00+01:00"); // 23 hours ahead; the deadline is 24
        var later = _node.Write("2026-03-25T09:00:00+01:00", "2026-03-25T11:00:00+01:00");
        var now = _node.Clock.GetUtcNow();
        Booking Cancelled(Core.Records.Record r, bool late) => Booking.Of(r.Data) with { State = BookingStates.Cancelled, CancelledAt = now, Late = late };

        var missing = Refused<RuleViolationException>(() => _node.Records.Update(Admin, "bookings", soon.Id,
            (Booking.Of(soon.Data) with { State = BookingStates.Cancelled, Late = true }).ToData(), null, soon.Revision));
        Assert.Equal((PlaceCodes.CancelledAtRequired, "cancelledAt"), (missing.Code, missing.Path));

        foreach (var (record, late) in new[] { (soon, false), (later, true) })
        {
            var e = Refused<RuleViolationException>(() => _node.Records.Update(Admin, "bookings", record.Id, Cancelled(record, late).ToData(), null, record.Revision));
            Assert.Equal((PlaceCodes.LateFlagMismatch, "late"), (e.Code, e.Path));
        }
        var confirmedLate = Refused<RuleViolationException>(() => _node.Records.Update(Admin, "bookings", later.Id,
            (Booking.Of(later.Data) with { Late = true }).ToData(), null, later.Revision));
        Assert.Equal(PlaceCodes.LateFlagMismatch, confirmedLate.Code);

        var cancelled = _node.Records.Update(Admin, "bookings", soon.Id, Cancelled(soon, true).ToData(), null, soon.Revision).Record;
        var hidden = Refused<RuleViolationException>(() => _node.Records.Update(Admin, "bookings", soon.Id,
            (Booking.Of(cancelled.Data) with { Late = false }).ToData(), null, cancelled.Revision));
        Assert.Equal(PlaceCodes.LateFlagMismatch, hidden.Code);
    }

    [Fact]
    public void At_the_deadline_lateness_is_judged_at_the_recorded_instant_when_it_is_seconds_old_and_at_the_write_otherwise()
    {
        // 24 hours' deadline: the first booking's deadline is one second after now, the second's half an hour after.
        var first = _node.Write("2026-03-21T10:00:01+01:00", "2026-03-21T10:30:00+01:00");
        var second = _node.Write("2026-03-21T10:30:00+01:00", "2026-03-21T11:00:00+01:00");
        var recorded = _node.Clock.GetUtcNow();
        _node.Clock.Advance(TimeSpan.FromSeconds(2)); // the write comes after the first deadline, its instant before it
        var inTime = _node.Records.Update(Admin, "bookings", first.Id,
            (Booking.Of(first.Data) with { State = BookingStates.Cancelled, CancelledAt = recorded, Late = false }).ToData(), null, first.Revision).Record;
        Assert.False(Booking.Of(inTime.Data).Late);

        _node.Clock.Advance(TimeSpan.FromMinutes(30)); // an instant half an hour old is not believed: judged at the write, late
        var stale = Refused<RuleViolationException>(() => _node.Records.Update(Admin, "bookings", second.Id,
            (Booking.Of(second.Data) with { State = BookingStates.Cancelled, CancelledAt = recorded, Late = false }).ToData(), null, second.Revision));
        Assert.Equal(PlaceCodes.LateFlagMismatch, stale.Code);
        var late = _node.Records.Update(Admin, "bookings", second.Id,
            (Booking.Of(second.Data) with { State = BookingStates.Cancelled, CancelledAt = recorded, Late = true }).ToData(), null, second.Revision).Record;
        Assert.True(Booking.Of(late.Data).Late);
    }

    [Fact]
    public void A_member_cancelling_after_the_deadline_confirms_it_first_and_it_is_recorded_as_late()
    {
        var soon = _node.Place.Book(Alice, Ask("studio", "2026-03-21T09:00:00+01:00", "2026-03-21T11:00:00+01:00"));
        var e = Refused<ConflictException>(() => _node.Place.Cancel(Alice, soon.Id));
        Assert.Equal(PlaceCodes.CancellationDeadlinePassed, e.Code);
        Assert.Contains("late", e.Detail);

        var cancelled = _node.Place.Cancel(Alice, soon.Id, acceptLate: true).Booking;
        Assert.Equal((BookingStates.Cancelled, true, _node.Clock.GetUtcNow()), (cancelled.State, cancelled.Late, cancelled.CancelledAt));

        var later = _node.Place.Book(Alice, Ask("studio", "2026-03-25T09:00:00+01:00", "2026-03-25T11:00:00+01:00"));
        var inTime = _node.Place.Cancel(Alice, later.Id).Booking;
        Assert.Equal((BookingStates.Cancelled, false), (inTime.State, inTime.Late));
        Assert.NotNull(inTime.CancelledAt);
        Assert.Empty(_node.Ledger());
    }
}
