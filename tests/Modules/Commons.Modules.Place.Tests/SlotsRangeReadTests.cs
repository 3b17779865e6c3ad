using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Modules.Place.Tests.Support;
using Commons.Modules.Place.Views;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The <c>slots</c> view reads a resource's busy days in one range read: bookings across the change to summer time,
/// across a UTC midnight (held in two day documents) and a range that starts or ends inside a booking still give the
/// exact free time; a public holiday is closed from Brussels midnight to Brussels midnight.
/// </summary>
public sealed class SlotsRangeReadTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public SlotsRangeReadTests()
    {
        _node.Records.Create(Admin, "rooms", "night", Doc("""{"name":{"en":"Night room"},"category":"room","publicHolidays":true}"""));
        _node.Place.Book(Alice, Ask("night", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00")); // an hour elapsed, across the change
        _node.Place.Book(Alice, Ask("night", "2026-04-02T01:00:00+02:00", "2026-04-02T03:00:00+02:00")); // 23:00–01:00 UTC: two UTC days
        _node.Place.Book(Bob, Ask("night", "2026-04-02T03:00:00+02:00", "2026-04-02T04:00:00+02:00"));
    }

    public void Dispose() => _node.Dispose();

    private List<(string Start, string End)> Free(string from, string to)
    {
        var view = new SlotsView(_node.ModuleStore).Build(new DatasetViewRequest(_node.DatasetStore.Find("rooms")!, "slots", "https://b.example/actor", "b.example",
            new Dictionary<string, string> { ["resource"] = "night", ["from"] = from, ["to"] = to }, _node.Clock.GetUtcNow()))!.Value;
        return view.GetProperty("resources")[0].GetProperty("free").EnumerateArray()
            .Select(f => (f.GetProperty("start").GetString()!, f.GetProperty("end").GetString()!)).ToList();
    }

    [Fact]
    public void Free_time_around_the_change_to_summer_time_a_utc_midnight_and_easter_monday_is_exact()
    {
        Assert.Equal(
        [
            ("2026-03-28T00:00:00+01:00", "2026-03-29T01:30:00+01:00"),
            ("2026-03-29T03:30:00+02:00", "2026-04-02T01:00:00+02:00"),
            ("2026-04-02T04:00:00+02:00", "2026-04-06T00:00:00+02:00"), // Easter Monday 6 April 2026 is closed all day
            ("2026-04-07T00:00:00+02:00", "2026-04-08T00:00:00+02:00"),
        ], Free("2026-03-28T00:00:00+01:00", "2026-04-08T00:00:00+02:00"));
    }

    [Fact]
    public void A_range_that_starts_or_ends_inside_a_booking_held_in_two_utc_days_sees_it()
    {
        // From 00:00 UTC on 2 April, inside the booking that began at 23:00 UTC the day before.
        Assert.Equal([("2026-04-02T04:00:00+02:00", "2026-04-02T12:00:00+02:00")], Free("2026-04-02T00:00:00Z", "2026-04-02T10:00:00Z"));
        // Until 00:30 UTC on 2 April, ending inside it.
        Assert.Equal([("2026-04-01T22:00:00+02:00", "2026-04-02T01:00:00+02:00")], Free("2026-04-01T20:00:00Z", "2026-04-02T00:30:00Z"));
        // A day with nothing held, next to held ones.
        Assert.Equal([("2026-04-03T00:00:00+02:00", "2026-04-04T00:00:00+02:00")], Free("2026-04-03T00:00:00+02:00", "2026-04-04T00:00:00+02:00"));
    }
}
