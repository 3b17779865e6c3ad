using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Usage;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The usage report's arithmetic on a fixture of bookings (the states and prices of place v2 included, whatever the
/// schema on this branch accepts): the Brussels month, hours across the change to summer time, late cancellations,
/// half-day prices, rounding to the cent once, half away from zero.
/// </summary>
public sealed class UsageSumTests
{
    private const string Peer = "https://velo.example/actor";
    private static readonly UsageMonth March = new(2026, 3);

    private static Booking Confirmed(string resource, string start, string end, string by = "alice") =>
        new(resource, At(start), At(end), by, BookingStates.Confirmed, null, null);

    private static UsageTable Sum(IEnumerable<Booking> bookings, Prices hall, Prices? van = null, bool everyone = true) =>
        UsageSums.Of(March, bookings, r => r == "hall" ? hall : van ?? Prices.None, o => everyone || o == BookingOrganisation.HostId,
            o => o == BookingOrganisation.HostId ? new BookingOrganisation(o, "Maison de quartier") : new BookingOrganisation(o, new Uri(o).Authority));

    [Fact]
    public void A_Brussels_month_is_743_hours_in_March_and_745_in_October_2026()
    {
        Assert.Equal(743, (March.To - March.From).TotalHours);
        Assert.Equal(745, (new UsageMonth(2026, 10).To - new UsageMonth(2026, 10).From).TotalHours);
        Assert.Equal(At("2026-02-28T23:00:00Z"), March.From);
        Assert.Equal(At("2026-03-31T22:00:00Z"), March.To);
    }

    [Fact]
    public void Bookings_count_in_the_Brussels_month_they_start_with_their_elapsed_hours()
    {
        var table = Sum(
        [
            Confirmed("van", "2026-03-01T00:30:00+01:00", "2026-03-01T01:30:00+01:00"), // 28 February in UTC: March in Brussels
            Confirmed("van", "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00"), // three hours on the wall clock, two elapsed
            Confirmed("van", "2026-03-31T23:00:00+02:00", "2026-04-01T01:00:00+02:00"), // starts in March, counted there whole
            Confirmed("van", "2026-04-01T00:30:00+02:00", "2026-04-01T01:30:00+02:00"), // 31 March in UTC: April in Brussels
            Confirmed("van", "2026-02-28T23:30:00+01:00", "2026-03-01T00:30:00+01:00"), // February
        ], Prices.None);
        Assert.Equal((5m, 3), (table.Rows.Single().Hours, table.Rows.Single().Bookings));
        Assert.Equal((0m, 0m), (table.Total.CostEur, table.Total.CostCredit));
    }

    [Fact]
    public void Only_confirmed_bookings_cost_and_late_cancellations_are_counted_apart()
    {
        var start = At("2026-03-10T10:00:00+01:00");
        var table = Sum(
        [
            Confirmed("hall", "2026-03-10T10:00:00+01:00", "2026-03-10T12:00:00+01:00", Peer),
            new("hall", start.AddDays(1), start.AddDays(1).AddHours(2), Peer, BookingStates.Cancelled, null, null, Late: true, CancelledAt: start),
            new("hall", start.AddDays(2), start.AddDays(2).AddHours(2), Peer, BookingStates.Cancelled, null, null, Late: false, CancelledAt: start),
            new("hall", start.AddDays(3), start.AddDays(3).AddHours(2), Peer, BookingStates.Pending, null, null),
            new("hall", start.AddDays(4), start.AddDays(4).AddHours(2), Peer, BookingStates.Refused, null, null),
            new("hall", start.AddDays(5), start.AddDays(5).AddHours(2), "bob", BookingStates.Cancelled, null, null, Late: true, CancelledAt: start),
        ], new Prices(10m, null, 2m));
        var host = table.Rows[0];
        var velo = table.Rows[1];
        Assert.Equal(("this-node", 0m, 0, 1), (host.Organisation.Id, host.Hours, host.Bookings, host.LateCancellations));
        Assert.Equal((Peer, "velo.example", 2m, 20m, 4m, 1, 1), (velo.Organisation.Id, velo.Organisation.Name, velo.Hours, velo.CostEur, velo.CostCredit, velo.LateCancellations, velo.Bookings));
        Assert.Equal((2, 1), (table.Total.LateCancellations, table.Total.Bookings));

        // A member sees their own organisation alone, and the totals are theirs.
        var own = Sum([Confirmed("hall", "2026-03-10T10:00:00+01:00", "2026-03-10T12:00:00+01:00", Peer)], new Prices(10m, null, 2m), everyone: false);
        Assert.Equal(["this-node"], own.Rows.Select(r => r.Organisation.Id));
        Assert.Equal(0m, own.Total.CostEur);
    }

    [Theory]
    [InlineData(2, "25.00")]   // 2 h × 12.50 = 25.00 < one half-day 40
    [InlineData(4, "40.00")]   // 4 h × 12.50 = 50.00 > one half-day 40
    [InlineData(5, "62.50")]   // 5 h × 12.50 = 62.50 < two started half-days 80
    [InlineData(7, "80.00")]   // 7 h × 12.50 = 87.50 > two half-days 80
    public void A_booking_costs_the_hourly_price_or_its_started_half_days_whichever_is_cheaper(int hours, string eur)
    {
        var start = At("2026-03-10T08:00:00+01:00");
        var table = Sum([new("hall", start, start.AddHours(hours), "alice", BookingStates.Confirmed, null, null)], new Prices(12.50m, 40m, null));
        Assert.Equal(decimal.Parse(eur, System.Globalization.CultureInfo.InvariantCulture), table.Total.CostEur);
    }

    [Fact]
    public void Only_a_half_day_price_bills_half_days_and_no_price_bills_nothing()
    {
        var start = At("2026-03-10T08:00:00+01:00");
        Assert.Equal(60m, Sum([new("hall", start, start.AddHours(9), "alice", BookingStates.Confirmed, null, null)], new Prices(null, 20m, null)).Total.CostEur);
        Assert.Equal(0m, Sum([new("van", start, start.AddHours(9), "alice", BookingStates.Confirmed, null, null)], new Prices(null, 20m, null)).Total.CostEur);
    }

    [Fact]
    public void Amounts_are_rounded_to_the_cent_once_at_the_end_half_away_from_zero()
    {
        var start = At("2026-03-10T08:00:00+01:00");
        // Three 20-minute bookings at 10 €/h: 3.333… each, 10.00 together (9.99 if each were rounded).
        var thirds = Enumerable.Range(0, 3).Select(i => new Booking("hall", start.AddHours(i), start.AddHours(i).AddMinutes(20), "alice", BookingStates.Confirmed, null, null));
        var table = Sum(thirds, new Prices(10m, null, 1m));
        Assert.Equal((10.00m, 1.00m, 1.00m), (table.Total.CostEur, table.Total.CostCredit, table.Total.Hours));
        // 0.125 € is 0.13, not the 0.12 of banker's rounding.
        Assert.Equal(0.13m, Sum([new("hall", start, start.AddHours(1), "alice", BookingStates.Confirmed, null, null)], new Prices(0.125m, null, null)).Total.CostEur);
        Assert.Equal(-0.13m, Prices.Round(-0.125m));
    }

    [Fact]
    public void Prices_are_read_defensively_absent_or_unreadable_means_no_price()
    {
        Assert.Equal(Prices.None, Prices.Of(null));
        Assert.Equal(Prices.None, Prices.Of(Doc("""{"name":{"en":"Van"},"category":"item"}""")));
        Assert.Equal(new Prices(12.5m, 40m, 1.5m), Prices.Of(Doc("""{"pricePerHourEur":12.5,"pricePerHalfDayEur":"40","pricePerHourCredit":1.5}""")));
        Assert.Equal(Prices.None, Prices.Of(Doc("""{"pricePerHourEur":"twelve","pricePerHalfDayEur":-3,"pricePerHourCredit":{"amount":1}}""")));
    }

    [Theory]
    [InlineData("2026-03", 2026, 3)]
    [InlineData(" 2026-10 ", 2026, 10)]
    public void A_month_is_read_as_yyyy_mm(string text, int year, int month) =>
        Assert.Equal(new UsageMonth(year, month), UsageMonth.Parse(text, Start));

    [Theory]
    [InlineData("2026-3")]
    [InlineData("2026-13")]
    [InlineData("03-2026")]
    [InlineData("2026-03-01")]
    [InlineData("1999-12")]
    public void A_month_in_another_shape_is_refused(string text) =>
        Assert.Equal("invalid_parameter", Assert.Throws<Core.Errors.ValidationException>(() => UsageMonth.Parse(text, Start)).Code);

    [Fact]
    public void No_month_is_this_month_in_Brussels() =>
        Assert.Equal(new UsageMonth(2026, 4), UsageMonth.Parse(null, At("2026-03-31T22:30:00Z")));

    [Fact]
    public void The_csv_is_rfc_4180_and_a_name_a_spreadsheet_would_run_starts_with_an_apostrophe()
    {
        var table = UsageSums.Of(March, [Confirmed("hall", "2026-03-10T10:00:00+01:00", "2026-03-10T11:30:00+01:00")], _ => new Prices(10m, null, null),
            _ => true, o => new BookingOrganisation(o, "=HYPERLINK(\"http://evil.example\",\"pay\")"));
        var csv = UsageCsv.Write(table);
        Assert.Equal(
            "month,organisation_id,organisation,hours,cost_eur,cost_credit,late_cancellations,bookings\r\n" +
            "2026-03,this-node,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"pay\"\")\",1.50,15.00,0.00,0,1\r\n", csv);
        Assert.Equal("'+1+2", UsageCsv.Field("+1+2"));
        Assert.Equal("'@SUM(A1)", UsageCsv.Field("@SUM(A1)"));
        Assert.Equal("-12.50", UsageCsv.Field("-12.50"));
        Assert.Equal("\"a\nb\"", UsageCsv.Field("a\nb"));
    }
}
