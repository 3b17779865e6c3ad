using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;

namespace Commons.Modules.Place.Tests;

/// <summary>Belgium's ten legal public holidays, the Easter-based ones moving with Easter, and the rule that reads them in Brussels dates.</summary>
public sealed class PublicHolidayRuleTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void The_holidays_of_2026_and_2027_are_the_ten_legal_ones_with_easter_monday_ascension_and_whit_monday()
    {
        Assert.Equal([D(2026, 1, 1), D(2026, 4, 6), D(2026, 5, 1), D(2026, 5, 14), D(2026, 5, 25), D(2026, 7, 21), D(2026, 8, 15), D(2026, 11, 1), D(2026, 11, 11), D(2026, 12, 25)],
            BelgianHolidays.Of(2026));
        Assert.Equal([D(2027, 1, 1), D(2027, 3, 29), D(2027, 5, 1), D(2027, 5, 6), D(2027, 5, 17), D(2027, 7, 21), D(2027, 8, 15), D(2027, 11, 1), D(2027, 11, 11), D(2027, 12, 25)],
            BelgianHolidays.Of(2027));
        // Easter Sunday and Whit Sunday are Sundays, not the legal holidays; the days after the Monday ones are ordinary.
        Assert.All(new[] { D(2026, 4, 5), D(2026, 4, 7), D(2026, 5, 24), D(2027, 3, 28), D(2027, 5, 7) }, d => Assert.False(BelgianHolidays.Contains(d), d.ToString()));
    }

    [Theory]
    [InlineData("2027-03-29T10:00:00+02:00", "2027-03-29T12:00:00+02:00")] // Easter Monday 2027, the day after summer time begins
    [InlineData("2027-05-06T10:00:00+02:00", "2027-05-06T12:00:00+02:00")] // Ascension 2027
    [InlineData("2027-05-17T10:00:00+02:00", "2027-05-17T12:00:00+02:00")] // Whit Monday 2027
    [InlineData("2026-12-31T23:30:00Z", "2027-01-01T00:30:00Z")]           // New Year in Brussels while still 2026 in UTC
    public void A_booking_on_a_2027_holiday_is_refused_public_holiday(string start, string end)
    {
        using var node = new PlaceNode().WithStudio();
        var e = Assert.Throws<RuleViolationException>(() => node.Write(start, end));
        Assert.Equal(PlaceCodes.PublicHoliday, e.Code);
        Assert.Equal(0, node.BookingChanges());
    }

    [Fact]
    public void The_evening_before_a_holiday_ending_at_midnight_is_not_on_it()
    {
        using var node = new PlaceNode().WithStudio();
        node.Write("2027-05-05T20:00:00+02:00", "2027-05-06T00:00:00+02:00");
        node.Write("2026-12-31T20:00:00+01:00", "2027-01-01T00:00:00+01:00");
    }
}
