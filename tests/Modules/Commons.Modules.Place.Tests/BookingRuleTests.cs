using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>Every rule of a booking refuses with its own code and leaves nothing behind: no record, no change, no busy time.</summary>
public sealed class BookingRuleTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public void Dispose() => _node.Dispose();

    private int Busy() => _node.Place.Resources(Admin, At("2026-03-01T00:00:00Z"), At("2026-04-30T00:00:00Z")).Sum(r => r.Busy.Count);

    private T Refused<T>(Func<object> write) where T : CommonsException
    {
        var before = (_node.BookingChanges(), _node.Place.Bookings(Admin).Count, Busy());
        var e = Assert.Throws<T>(() => write());
        Assert.Equal(before, (_node.BookingChanges(), _node.Place.Bookings(Admin).Count, Busy()));
        return e;
    }

    [Theory]
    [InlineData("nowhere", "2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00", PlaceCodes.UnknownResource, "resource")]
    [InlineData("hall", "2026-04-01T11:00:00+02:00", "2026-04-01T11:00:00+02:00", PlaceCodes.BookingEndsBeforeStart, "end")]
    [InlineData("hall", "2026-04-01T12:00:00+02:00", "2026-04-01T11:00:00+02:00", PlaceCodes.BookingEndsBeforeStart, "end")]
    [InlineData("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T14:01:00+02:00", PlaceCodes.BookingTooLong, "end")]
    [InlineData("hall", "2026-04-01T07:30:00+02:00", "2026-04-01T09:00:00+02:00", PlaceCodes.OutsideOpeningHours, "start")]
    [InlineData("hall", "2026-04-01T21:00:00+02:00", "2026-04-01T22:30:00+02:00", PlaceCodes.OutsideOpeningHours, "start")]
    [InlineData("hall", "2026-03-19T10:00:00+01:00", "2026-03-19T11:00:00+01:00", PlaceCodes.BookingInPast, "start")]
    [InlineData("hall", "2026-03-20T10:30:00+01:00", "2026-03-20T11:00:00+01:00", PlaceCodes.NoticeTooShort, "start")]
    public void A_booking_that_breaks_a_rule_is_refused_with_the_rules_code_at_its_field(string resource, string start, string end, string code, string path)
    {
        var e = Refused<RuleViolationException>(() => _node.Place.Book(Alice, Ask(resource, start, end)));
        Assert.Equal((code, path), (e.Code, e.Path));
    }

    [Fact]
    public void The_rules_hold_for_a_write_through_the_plain_records_api_too()
    {
        var e = Refused<RuleViolationException>(() => _node.Records.Create(Admin, "bookings", null, Doc("""
            {"resource":"hall","start":"2026-04-01T10:00:00+02:00","end":"2026-04-01T23:00:00+02:00","bookedBy":"root","state":"confirmed"}
            """)));
        Assert.Equal(PlaceCodes.BookingTooLong, e.Code);
        var offsetless = Refused<ValidationException>(() => _node.Records.Create(Admin, "bookings", null, Doc("""
            {"resource":"hall","start":"2026-04-01T10:00:00","end":"2026-04-01T11:00:00","bookedBy":"root","state":"confirmed"}
            """)));
        Assert.Equal(ProblemCodes.ValidationFailed, offsetless.Code);
    }

    [Fact]
    public void An_overlapping_booking_is_a_conflict_touching_ends_are_not_and_another_resource_is_free()
    {
        var first = _node.Place.Book(Alice, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        Assert.Equal(("alice", BookingStates.Confirmed), (first.Booking.BookedBy, first.Booking.State));

        foreach (var (start, end) in new[] { ("11:00", "13:00"), ("09:00", "10:30"), ("10:30", "11:00"), ("09:00", "13:00") })
        {
            var e = Refused<RuleConflictException>(() => _node.Place.Book(Bob, Ask("hall", $"2026-04-01T{start}:00+02:00", $"2026-04-01T{end}:00+02:00")));
            Assert.Equal(PlaceCodes.BookingConflict, e.Code);
        }
        // The same instant in another offset is the same time.
        Assert.Equal(PlaceCodes.BookingConflict, Assert.Throws<RuleConflictException>(() =>
            _node.Place.Book(Bob, Ask("hall", "2026-04-01T09:30:00Z", "2026-04-01T10:30:00Z"))).Code);

        _node.Place.Book(Bob, Ask("hall", "2026-04-01T12:00:00+02:00", "2026-04-01T13:00:00+02:00"));
        _node.Place.Book(Bob, Ask("hall", "2026-04-01T08:00:00+02:00", "2026-04-01T10:00:00+02:00"));
        _node.Place.Book(Bob, Ask("van", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        Assert.Equal(4, _node.BookingChanges());
    }

    [Fact]
    public void Cancelling_or_deleting_frees_the_time_and_confirming_again_checks_it_again()
    {
        var first = _node.Place.Book(Alice, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        var cancelled = _node.Place.Cancel(Alice, first.Id);
        Assert.Equal(BookingStates.Cancelled, cancelled.Booking.State);
        Assert.Empty(_node.Place.Resource(Alice, "hall").Busy);

        var second = _node.Place.Book(Bob, Ask("hall", "2026-04-01T11:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        var record = _node.Booking(first.Id)!;
        var again = Assert.Throws<RuleConflictException>(() => _node.Records.Update(Admin, "bookings", first.Id,
            (Kinds.Booking.Of(record.Data) with { State = BookingStates.Confirmed, CancelledAt = null }).ToData(), null, record.Revision));
        Assert.Equal(PlaceCodes.BookingConflict, again.Code);

        _node.Records.Delete(Admin, "bookings", second.Id, null);
        Assert.Empty(_node.Place.Resource(Alice, "hall").Busy);
        _node.Place.Book(Bob, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
    }

    [Fact]
    public void Moving_a_booking_releases_its_old_time_and_an_edit_that_keeps_the_time_is_not_judged_again()
    {
        var booking = _node.Place.Book(Alice, Ask("hall", "2026-03-20T12:00:00+01:00", "2026-03-20T13:00:00+01:00", "choir"));
        // The booking has started: a new booking then would be in the past, but editing its purpose is not a new hold.
        _node.Clock.Advance(TimeSpan.FromHours(2.5));
        var record = _node.Booking(booking.Id)!;
        _node.Records.Update(Admin, "bookings", booking.Id, Doc(record.Data.GetRawText().Replace("choir", "choir rehearsal")), null, record.Revision);

        var moved = Kinds.Booking.Of(record.Data) with { Start = At("2026-03-21T12:00:00+01:00"), End = At("2026-03-21T13:00:00+01:00") };
        _node.Records.Update(Admin, "bookings", booking.Id, moved.ToData(), null, null);
        var busy = _node.Place.Resource(Alice, "hall", At("2026-03-20T00:00:00+01:00"), At("2026-03-23T00:00:00+01:00")).Busy;
        Assert.Equal([At("2026-03-21T11:00:00Z")], busy.Select(b => b.Start));
    }

    [Fact]
    public void Only_the_booker_or_an_editor_cancels_and_members_see_only_their_own_bookings()
    {
        var booking = _node.Place.Book(Alice, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        Assert.Throws<NotFoundException>(() => _node.Place.Cancel(Bob, booking.Id));
        Assert.Empty(_node.Place.Bookings(Bob));
        Assert.Single(_node.Place.Bookings(Alice));
        var readOnly = Alice with { Scopes = Core.Tokens.TokenScopes.Read };
        Assert.Throws<ForbiddenException>(() => _node.Place.Cancel(readOnly, booking.Id));
        Assert.Throws<ForbiddenException>(() => _node.Place.Book(readOnly, Ask("van", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00")));
        _node.AddMember("bob");
        _node.Datasets.SetGrant(Admin, "bookings", "bob", Core.Datasets.GrantRole.Viewer);
        Assert.Throws<ForbiddenException>(() => _node.Place.Cancel(Bob, booking.Id));
        Assert.Single(_node.Place.Bookings(Bob));
        Assert.Equal(BookingStates.Cancelled, _node.Place.Cancel(Admin, booking.Id).Booking.State);
    }

    [Fact]
    public void Without_a_bookings_dataset_a_booking_is_refused_with_its_code()
    {
        using var bare = new PlaceNode();
        bare.CreateDataset("rooms", "place.resources");
        bare.Records.Create(Admin, "rooms", "van", Doc("""{"name":{"en":"Van"},"category":"item"}"""));
        var e = Assert.Throws<ConflictException>(() => bare.Place.Book(Alice, Ask("van", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00")));
        Assert.Equal(PlaceCodes.NoBookingsDataset, e.Code);
    }
}
