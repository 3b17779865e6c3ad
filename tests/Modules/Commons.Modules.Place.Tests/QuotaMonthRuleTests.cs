using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The monthly quota counts elapsed hours in Europe/Brussels months: the night summer time begins has one hour less,
/// the night it ends one more, and a booking across the end of a month counts in each month for its part.
/// </summary>
public sealed class QuotaMonthRuleTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithStudio(quotaHours: 10);

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData("2026-03-28T22:00:00+01:00", "2026-03-29T04:00:00+02:00", "2026-03:300")]
    [InlineData("2026-10-24T22:00:00+02:00", "2026-10-25T04:00:00+01:00", "2026-10:420")]
    [InlineData("2026-03-31T20:00:00+02:00", "2026-04-01T02:00:00+02:00", "2026-03:240 2026-04:120")]
    [InlineData("2026-03-31T22:30:00Z", "2026-03-31T23:30:00Z", "2026-04:60")]
    [InlineData("2026-12-31T22:00:00+01:00", "2027-01-01T01:00:00+01:00", "2026-12:120 2027-01:60")]
    public void Minutes_fall_in_the_brussels_months_they_pass_in(string start, string end, string expected) =>
        Assert.Equal(expected, string.Join(' ', PlaceTime.LocalMonths(At(start), At(end)).Select(m => $"{m.Month}:{m.Minutes}")));

    [Fact]
    public void The_night_summer_time_begins_eleven_wall_clock_hours_are_ten_hours_of_quota()
    {
        _node.Write("2026-03-28T22:00:00+01:00", "2026-03-29T09:00:00+02:00");
        Assert.Contains(("studio", "2026-03", Organisations.OwnMembers, 600L), _node.Ledger());
        var e = Assert.Throws<RuleConflictException>(() => _node.Write("2026-03-30T10:00:00+02:00", "2026-03-30T10:30:00+02:00"));
        Assert.Equal(PlaceCodes.QuotaExceeded, e.Code);
        _node.Write("2026-04-01T10:00:00+02:00", "2026-04-01T11:00:00+02:00");
    }

    [Fact]
    public void The_night_summer_time_ends_nine_wall_clock_hours_are_ten_hours_of_quota()
    {
        _node.Write("2026-10-24T22:00:00+02:00", "2026-10-25T07:00:00+01:00");
        Assert.Contains(("studio", "2026-10", Organisations.OwnMembers, 600L), _node.Ledger());
        var e = Assert.Throws<RuleConflictException>(() => _node.Write("2026-10-26T10:00:00+01:00", "2026-10-26T11:00:00+01:00"));
        Assert.Equal(PlaceCodes.QuotaExceeded, e.Code);
    }

    [Fact]
    public void A_booking_across_the_end_of_a_month_counts_its_part_in_each_and_the_ledger_keeps_resources_without_a_quota_too()
    {
        _node.Write("2026-05-31T13:00:00+02:00", "2026-05-31T22:00:00+02:00");
        // Nine hours of May held: a booking from 22:00 to 02:00 adds two to May (one too many) and two to June.
        var e = Assert.Throws<RuleConflictException>(() => _node.Write("2026-05-31T22:00:00+02:00", "2026-06-01T02:00:00+02:00", state: BookingStates.Pending));
        Assert.Equal(PlaceCodes.QuotaExceeded, e.Code);
        _node.Write("2026-03-31T20:00:00+02:00", "2026-04-01T02:00:00+02:00", PlaceTerms.Partner, resource: "van");
        Assert.Contains(("van", "2026-03", "partner.example", 240L), _node.Ledger());
        Assert.Contains(("van", "2026-04", "partner.example", 120L), _node.Ledger());
    }
}
