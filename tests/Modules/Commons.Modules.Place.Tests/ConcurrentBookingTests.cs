using Commons.Core.Kinds;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>The rule that matters most: however many ask at once, a resource is never booked twice for the same time.</summary>
public sealed class ConcurrentBookingTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Of_fifty_concurrent_bookings_of_one_slot_exactly_one_wins_and_the_feed_has_one_change()
    {
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(() =>
        {
            start.Wait();
            // Overlapping, not identical: each asks for a slightly different stretch of the same afternoon.
            var from = At("2026-04-01T14:00:00+02:00").AddMinutes(i % 5);
            try
            {
                _node.Place.Book(new Core.Access.Caller($"m{i}", Core.Members.MemberRole.Member, Alice.Scopes),
                    new Services.BookingRequest("hall", from, from.AddHours(1), null, null));
                return "won";
            }
            catch (RuleConflictException e) { return e.Code; }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o == "won");
        Assert.Equal(49, outcomes.Count(o => o == PlaceCodes.BookingConflict));
        Assert.Equal(1, _node.BookingChanges());
        var winner = Assert.Single(_node.Place.Bookings(Admin));
        var busy = Assert.Single(_node.Place.Resource(Admin, "hall", At("2026-04-01T00:00:00Z"), At("2026-04-02T00:00:00Z")).Busy);
        Assert.Equal((winner.Booking.Start, $"bookings/{winner.Id}"), (busy.Start, busy.Booking));
    }

    [Fact]
    public async Task Concurrent_bookings_of_different_resources_all_win()
    {
        _node.Records.Create(Admin, "rooms", "kitchen", Doc("""{"name":{"en":"Kitchen"},"category":"room"}"""));
        var resources = new[] { "hall", "van", "kitchen" };
        var made = await Task.WhenAll(resources.Select(r => Task.Run(() =>
            _node.Place.Book(Alice, Ask(r, "2026-04-01T14:00:00+02:00", "2026-04-01T15:00:00+02:00")))));
        Assert.Equal(3, made.Select(b => b.Booking.Resource).Distinct().Count());
        Assert.Equal(3, _node.BookingChanges());
    }
}
