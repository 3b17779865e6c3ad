using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Place.Tests.Support;
using Commons.Modules.Place.Views;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The views a resources dataset publishes to its peers: <c>slots</c>, the free time the owner computes (busy and
/// closed times cut out, nothing about who holds them), and <c>mine</c>, the bookings the fetching node holds and no one else's.
/// </summary>
public sealed class PlaceViewTests : IDisposable
{
    private const string Peer = "https://b.example/datasets/neighbours";
    private readonly PlaceNode _node = new PlaceNode().WithPlace();
    private readonly SlotsView _slots;
    private readonly MineView _mine;

    public PlaceViewTests()
    {
        _slots = new SlotsView(_node.ModuleStore);
        _mine = new MineView(_node.Directory, _node.RecordStore, _node.ModuleStore, _node.Billing);
        _node.Records.Create(Admin, "rooms", "studio", Doc("""
            {"name":{"en":"Studio"},"category":"room","closures":[{"from":"2026-04-03","until":"2026-04-03","reason":{"en":"Works"}}],
             "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday"],"opens":"09:00","closes":"17:00"}]}
            """));
        _node.Followers.Upsert(new Follower { DatasetSlug = "rooms", ActorUri = Peer, Inbox = Peer + "/inbox", FollowActivityId = Peer + "#f", State = FollowerState.Accepted });
    }

    public void Dispose() => _node.Dispose();

    private DatasetViewRequest Request(string view, string? fetcher, params (string, string)[] query) =>
        new(_node.DatasetStore.Find("rooms")!, view, fetcher, fetcher is null ? null : new Uri(fetcher).Authority, query.ToDictionary(q => q.Item1, q => q.Item2), _node.Clock.GetUtcNow());

    private static List<(string Start, string End)> Free(JsonElement view, string resource) =>
        view.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("id").GetString() == resource).GetProperty("free").EnumerateArray()
            .Select(f => (f.GetProperty("start").GetString()!, f.GetProperty("end").GetString()!)).ToList();

    [Fact]
    public void Slots_are_the_opening_hours_minus_held_and_closed_times_in_brussels_time_and_say_nothing_of_who_holds_them()
    {
        _node.Place.Book(Alice, Ask("studio", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00", "secret meeting"));
        var view = _slots.Build(Request("slots", null, ("from", "2026-04-01T00:00:00+02:00"), ("to", "2026-04-04T00:00:00+02:00")))!.Value;

        Assert.Equal([
            ("2026-04-01T09:00:00+02:00", "2026-04-01T10:00:00+02:00"), ("2026-04-01T12:00:00+02:00", "2026-04-01T17:00:00+02:00"),
            ("2026-04-02T09:00:00+02:00", "2026-04-02T17:00:00+02:00"),
        ], Free(view, "studio"));
        Assert.Equal(3, view.GetProperty("resources").GetArrayLength());
        Assert.DoesNotContain("alice", view.GetRawText());
        Assert.DoesNotContain("secret", view.GetRawText());
        Assert.Equal("Europe/Brussels", view.GetProperty("timeZone").GetString());
    }

    [Fact]
    public void Slots_of_one_resource_start_after_its_notice_and_bad_ranges_are_refused()
    {
        // Now is 10:00 in Brussels on 20 March; the hall wants an hour's notice and opens 08:00–22:00.
        var view = _slots.Build(Request("slots", Peer, ("resource", "hall")))!.Value;
        var hall = Free(view, "hall");
        Assert.Equal("2026-03-20T11:00:00+01:00", hall[0].Start);
        Assert.Equal(1, view.GetProperty("resources").GetArrayLength());
        Assert.Equal(15, hall.Count); // 20 March to 3 April, the 14 days from now

        Assert.Null(_slots.Build(Request("slots", Peer, ("resource", "nowhere"))));
        Assert.Equal(ProblemCodes.InvalidParameter, Assert.Throws<ValidationException>(() =>
            _slots.Build(Request("slots", Peer, ("from", "2026-04-01T00:00:00Z"), ("to", "2026-07-01T00:00:00Z")))).Code);
        Assert.Throws<ValidationException>(() => _slots.Build(Request("slots", Peer, ("from", "tomorrow"))));
    }

    [Fact]
    public async Task Mine_lists_only_the_fetchers_bookings_with_their_state_and_request_and_nothing_to_an_unsigned_fetch()
    {
        var request = new IncomingRequest(_node.DatasetStore.Find("rooms")!, "https://b.example/requests/1", "place.book", Peer, "b.example",
            Doc("""{"resource":"hall","start":"2026-04-01T14:00:00+02:00","end":"2026-04-01T15:00:00+02:00"}"""), _node.Clock.GetUtcNow());
        var booked = (await _node.BookHandler.DecideAsync(request, CancellationToken.None)).Result!.Value.GetProperty("booking").GetString();
        _node.Place.Book(Alice, Ask("hall", "2026-04-02T14:00:00+02:00", "2026-04-02T15:00:00+02:00"));

        var mine = _mine.Build(Request("mine", Peer))!.Value.GetProperty("bookings");
        var only = Assert.Single(mine.EnumerateArray());
        Assert.Equal((booked, "confirmed", "https://b.example/requests/1", false),
            (only.GetProperty("booking").GetString(), only.GetProperty("state").GetString(), only.GetProperty("request").GetString(), only.GetProperty("late").GetBoolean()));
        Assert.Empty(_mine.Build(Request("mine", "https://c.example/actor"))!.Value.GetProperty("bookings").EnumerateArray());
        Assert.Null(_mine.Build(Request("mine", null)));
    }
}
