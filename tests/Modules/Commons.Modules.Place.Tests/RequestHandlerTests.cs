using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// A peer node asks the resources dataset's actor to book or cancel: the owner decides under the same rules as for its
/// members, only for peers the dataset already shares with, and answers with the rule's code when it refuses.
/// </summary>
public sealed class RequestHandlerTests : IDisposable
{
    private const string Peer = "https://b.example/datasets/neighbours";
    private readonly PlaceNode _node = new PlaceNode().WithPlace();

    public void Dispose() => _node.Dispose();

    private void Follow(string actor = Peer, FollowerState state = FollowerState.Accepted) => _node.Followers.Upsert(new Follower
    {
        DatasetSlug = "rooms", ActorUri = actor, Inbox = actor + "/inbox", FollowActivityId = actor + "#follow", State = state,
    });

    private IncomingRequest Request(string type, string body, string actor = Peer, string dataset = "rooms") =>
        new(_node.DatasetStore.Find(dataset)!, $"https://b.example/requests/{Guid.NewGuid():N}", type, actor, new Uri(actor).Authority, Doc(body), _node.Clock.GetUtcNow());

    private Task<RequestDecision> Book(string body, string actor = Peer, string dataset = "rooms") =>
        _node.BookHandler.DecideAsync(Request("place.book", body, actor, dataset), CancellationToken.None);

    private const string Afternoon = """{"resource":"hall","start":"2026-04-01T14:00:00+02:00","end":"2026-04-01T16:00:00+02:00","purpose":"assembly","organisation":"Neighbours"}""";

    [Fact]
    public async Task A_followers_booking_is_accepted_held_by_its_actor_and_answered_with_the_booking()
    {
        Follow();
        var decision = await Book(Afternoon);

        Assert.Equal(ExchangeState.Accepted, decision.State);
        var result = decision.Result!.Value;
        var id = result.GetProperty("booking").GetString()!;
        Assert.Equal(("hall", "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00", "confirmed"),
            (result.GetProperty("resource").GetString(), result.GetProperty("start").GetString(), result.GetProperty("end").GetString(), result.GetProperty("state").GetString()));
        var record = _node.Booking(id)!;
        Assert.Equal((Peer, Peer), (record.CreatedBy, record.Data.GetProperty("bookedBy").GetString()));
        Assert.Equal("Neighbours", record.Data.GetProperty("organisation").GetString());
        Assert.Single(_node.Place.Resource(Alice, "hall", At("2026-04-01T00:00:00Z"), At("2026-04-02T00:00:00Z")).Busy);
    }

    [Fact]
    public async Task The_same_request_decided_again_after_a_stop_answers_with_the_booking_it_made_not_a_conflict()
    {
        Follow();
        var request = Request("place.book", Afternoon);
        var first = await _node.BookHandler.DecideAsync(request, CancellationToken.None);
        var again = await _node.BookHandler.DecideAsync(request, CancellationToken.None);

        Assert.Equal((ExchangeState.Accepted, ExchangeState.Accepted), (first.State, again.State));
        Assert.Equal(first.Result!.Value.GetProperty("booking").GetString(), again.Result!.Value.GetProperty("booking").GetString());
        Assert.Single(_node.Place.Resource(Alice, "hall", At("2026-04-01T00:00:00Z"), At("2026-04-02T00:00:00Z")).Busy);
        // Another request for the same time is still a conflict.
        Assert.Equal(PlaceCodes.BookingConflict, (await Book(Afternoon)).Code);
    }

    [Fact]
    public async Task A_booking_that_breaks_a_rule_is_refused_with_the_rules_code_and_nothing_is_stored()
    {
        Follow();
        _node.Place.Book(Alice, Ask("hall", "2026-04-01T15:00:00+02:00", "2026-04-01T17:00:00+02:00"));
        var refusals = new[]
        {
            (await Book(Afternoon), PlaceCodes.BookingConflict),
            (await Book("""{"resource":"hall","start":"2026-04-01T06:00:00+02:00","end":"2026-04-01T07:00:00+02:00"}"""), PlaceCodes.OutsideOpeningHours),
            (await Book("""{"resource":"hall","start":"2026-04-02T10:00:00+02:00","end":"2026-04-02T16:00:00+02:00"}"""), PlaceCodes.BookingTooLong),
            (await Book("""{"resource":"hall","start":"2026-04-02T10:00:00"}"""), ProblemCodes.ValidationFailed),
            (await Book("""{"resource":"hall","start":"2026-04-02T10:00:00+02:00","end":3}"""), ProblemCodes.ValidationFailed),
            (await Book("""{"resource":"nowhere","start":"2026-04-02T10:00:00+02:00","end":"2026-04-02T11:00:00+02:00"}"""), PlaceCodes.UnknownResource),
        };
        Assert.All(refusals, r => Assert.Equal((ExchangeState.Refused, r.Item2), (r.Item1.State, r.Item1.Code)));
        Assert.All(refusals, r => Assert.False(string.IsNullOrEmpty(r.Item1.Detail)));
        Assert.Equal(1, _node.BookingChanges());
    }

    [Fact]
    public async Task A_node_that_does_not_follow_or_is_only_pending_is_not_allowed()
    {
        var stranger = await Book(Afternoon);
        Follow(state: FollowerState.Pending);
        var pending = await Book(Afternoon);
        Follow("https://c.example/datasets/other");
        var otherActor = await Book(Afternoon);

        Assert.All([stranger, pending, otherActor], d => Assert.Equal((ExchangeState.Refused, PlaceCodes.NotAllowed), (d.State, d.Code)));
        Assert.Equal(0, _node.BookingChanges());
    }

    [Fact]
    public async Task A_peer_on_the_allow_list_may_book_but_only_the_resources_of_the_dataset_it_asks()
    {
        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Peers, AllowedPeers = ["b.example"] });
        Assert.Equal(ExchangeState.Accepted, (await Book(Afternoon)).State);

        _node.CreateDataset("annex", "place.resources");
        _node.Datasets.Update(Admin, "annex", new DatasetDraft { Policy = SharingPolicy.Peers, AllowedPeers = ["b.example"] });
        var elsewhere = await Book("""{"resource":"van","start":"2026-04-02T10:00:00+02:00","end":"2026-04-02T11:00:00+02:00"}""", dataset: "annex");
        Assert.Equal((ExchangeState.Refused, PlaceCodes.UnknownResource), (elsewhere.State, elsewhere.Code));

        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Policy = SharingPolicy.Private });
        Assert.Equal(PlaceCodes.NotAllowed, (await Book("""{"resource":"van","start":"2026-04-03T10:00:00+02:00","end":"2026-04-03T11:00:00+02:00"}""")).Code);
        Assert.Equal(1, _node.BookingChanges());
    }

    [Fact]
    public async Task A_peer_cancels_its_own_booking_and_frees_the_time_but_not_anyone_elses()
    {
        Follow();
        Follow("https://c.example/datasets/other");
        var booked = (await Book(Afternoon)).Result!.Value.GetProperty("booking").GetString()!;
        var members = _node.Place.Book(Alice, Ask("van", "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00")).Id;
        Task<RequestDecision> Cancel(string id, string actor = Peer) =>
            _node.CancelHandler.DecideAsync(Request("place.cancel", JsonSerializer.Serialize(new { booking = id }), actor), CancellationToken.None);

        Assert.Equal(PlaceCodes.NotAllowed, (await Cancel(booked, "https://c.example/datasets/other")).Code);
        Assert.Equal(PlaceCodes.NotAllowed, (await Cancel(members)).Code);
        Assert.Equal(PlaceCodes.NotAllowed, (await Cancel("nothing")).Code);
        var cancelled = await Cancel(booked);
        Assert.Equal((ExchangeState.Accepted, "cancelled"), (cancelled.State, cancelled.Result!.Value.GetProperty("state").GetString()));
        Assert.Equal(Peer, _node.Booking(booked)!.UpdatedBy);
        Assert.Equal(ExchangeState.Accepted, (await Cancel(booked)).State);
        Assert.Equal(3, _node.BookingChanges());
        Assert.Equal(ExchangeState.Accepted, (await Book(Afternoon)).State);
    }
}
