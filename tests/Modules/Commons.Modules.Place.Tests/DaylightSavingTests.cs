using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// Opening hours are Brussels wall-clock hours on the day a booking starts; lengths and overlaps are elapsed time
/// between instants. In 2026 summer time begins on Sunday 29 March (02:00 → 03:00) and ends on Sunday 25 October (03:00 → 02:00).
/// </summary>
public sealed class DaylightSavingTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public DaylightSavingTests() =>
        _node.Records.Create(Admin, "rooms", "studio", Doc("""
            {"name":{"en":"Night studio"},"category":"room","maxLengthMinutes":240,
             "openingHoursSpecification":[{"dayOfWeek":["saturday","sunday"],"opens":"00:00","closes":"24:00"}]}
            """));

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Opening_hours_follow_the_offset_of_the_day_summer_time_begins()
    {
        // 06:00Z is 08:00 in Brussels on the 29th (summer time), but 07:00 the day before (winter time).
        _node.Place.Book(Alice, Ask("hall", "2026-03-29T06:00:00Z", "2026-03-29T08:00:00Z"));
        var early = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Alice, Ask("hall", "2026-03-28T06:00:00Z", "2026-03-28T08:00:00Z")));
        Assert.Equal(PlaceCodes.OutsideOpeningHours, early.Code);
        _node.Place.Book(Alice, Ask("hall", "2026-03-28T07:00:00Z", "2026-03-28T09:00:00Z"));
        // Closing at 22:00 local is 20:00Z in summer: a booking to 21:00Z passes it.
        var late = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Alice, Ask("hall", "2026-03-29T18:00:00Z", "2026-03-29T21:00:00Z")));
        Assert.Equal(PlaceCodes.OutsideOpeningHours, late.Code);
        _node.Place.Book(Alice, Ask("hall", "2026-03-29T17:00:00Z", "2026-03-29T20:00:00Z"));
    }

    [Fact]
    public void A_night_with_an_hour_less_or_more_is_measured_in_elapsed_time()
    {
        // 00:00 to 04:00 on the wall clock is five hours on the night summer time ends: too long for four.
        var tooLong = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Alice, Ask("studio", "2026-10-25T00:00:00+02:00", "2026-10-25T04:00:00+01:00")));
        Assert.Equal(PlaceCodes.BookingTooLong, tooLong.Code);
        _node.Place.Book(Alice, Ask("studio", "2026-10-25T00:00:00+02:00", "2026-10-25T03:00:00+01:00"));
        // 00:00 to 05:00 on the wall clock is four hours on the night summer time begins.
        _node.Place.Book(Alice, Ask("studio", "2026-03-29T00:00:00+01:00", "2026-03-29T05:00:00+02:00"));
    }

    [Fact]
    public void The_repeated_hour_holds_two_different_times()
    {
        _node.Place.Book(Alice, Ask("studio", "2026-10-24T23:00:00Z", "2026-10-25T00:30:00Z")); // 01:00–02:30 summer time
        _node.Place.Book(Bob, Ask("studio", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z"));   // 02:00–02:30 winter time
        var clash = Assert.Throws<RuleConflictException>(() => _node.Place.Book(Bob, Ask("studio", "2026-10-25T02:15:00+02:00", "2026-10-25T02:45:00+02:00")));
        Assert.Equal(PlaceCodes.BookingConflict, clash.Code);
        var busy = _node.Place.Resource(Alice, "studio", At("2026-10-24T00:00:00Z"), At("2026-10-26T00:00:00Z")).Busy;
        Assert.Equal(["2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+01:00"], busy.Select(b => PlaceTime.Text(b.Start)));
    }

    [Fact]
    public void A_booking_may_end_at_the_midnight_that_closes_the_day_and_not_after()
    {
        _node.Place.Book(Alice, Ask("studio", "2026-03-28T22:00:00+01:00", "2026-03-29T00:00:00+01:00"));
        var after = Assert.Throws<RuleViolationException>(() => _node.Place.Book(Alice, Ask("studio", "2026-03-21T23:00:00+01:00", "2026-03-22T00:30:00+01:00")));
        Assert.Equal(PlaceCodes.OutsideOpeningHours, after.Code);
    }

    [Fact]
    public void Wall_clock_times_people_enter_become_the_instant_they_mean()
    {
        Assert.Equal("2026-03-29T03:30:00+02:00", PlaceTime.Text(PlaceTime.FromLocal(new DateTime(2026, 3, 29, 2, 30, 0))));
        Assert.Equal("2026-10-25T02:30:00+02:00", PlaceTime.Text(PlaceTime.FromLocal(new DateTime(2026, 10, 25, 2, 30, 0))));
        Assert.Equal("2026-07-01T10:00:00+02:00", PlaceTime.Text(PlaceTime.FromLocal(new DateTime(2026, 7, 1, 10, 0, 0))));
        Assert.Equal("2026-01-01T10:00:00+01:00", PlaceTime.Text(PlaceTime.FromLocal(new DateTime(2026, 1, 1, 10, 0, 0))));
    }
}
