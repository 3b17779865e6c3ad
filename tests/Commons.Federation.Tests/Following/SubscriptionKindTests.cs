using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Following;
using Commons.Federation.Http;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Delivery;
using Commons.Federation.Tests.Http;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Federation.Tests.Following;

/// <summary>
/// <see cref="Subscription.Kind"/>: the followed dataset's <c>commons:kind</c> as its actor last said, kept through an
/// actor Update and in the store (a real LiteDB file, read back after reopening it); a name no kind could have is not kept.
/// </summary>
public sealed class SubscriptionKindTests : IDisposable
{
    private const string Origin = "http://a.test/datasets/rooms";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-subscription-kind-{Guid.NewGuid():N}");
    private readonly FakeClock _clock = new(DeliveryRig.Start);
    private CommonsDatabase _database;
    private LiteSubscriptionStore _subscriptions;

    public SubscriptionKindTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _subscriptions = new LiteSubscriptionStore(_database);
        _subscriptions.Upsert(new Subscription
        {
            Id = "s1", DatasetActor = Origin, Inbox = Origin + "/inbox", Name = "Rooms", FollowActivityId = "http://b.test/actor#follows/1",
            State = SubscriptionState.Accepted, RequestedBy = "wim", Since = DeliveryRig.Start,
        });
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private SubscriptionManager Manager()
    {
        var http = HttpTest.Client(clock: _clock);
        var actors = new RemoteActorFetcher(http, HttpTest.Signer, new PublicKeyCache(), _clock);
        var uris = new ActivityUris("http://b.test");
        return new SubscriptionManager(_subscriptions, new LiteReplicaStore(_database), actors,
            new RemoteDatasetLookup(actors, new WebFingerClient(http, HttpTest.Signer), uris), new Outbox(new LiteDeliveryQueue(_database), new WorkSignal(), _clock), uris, _clock);
    }

    private RemoteActor Actor(JsonNode? kind)
    {
        var document = new JsonObject { ["id"] = Origin, ["type"] = "Service", ["name"] = "Rooms", ["inbox"] = Origin + "/inbox" };
        if (kind is not null) document[ActivityStreamsContext.Kind] = kind;
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return new RemoteActor(new Uri(Origin), "Service", "rooms", new Uri(Origin + "/inbox"), null, null, null, [], parsed.RootElement.Clone(), _clock.GetUtcNow());
    }

    [Fact]
    public void The_kind_comes_with_an_actor_update_is_kept_across_a_reopening_and_changes_with_the_next_update()
    {
        var manager = Manager();
        Assert.Null(_subscriptions.Find("s1")!.Kind);
        Assert.StartsWith("actor updated; subscription shows", manager.OnActorUpdated(Actor("place.resources")));
        Assert.Equal("actor updated; subscription unchanged", manager.OnActorUpdated(Actor("place.resources")));

        _database.Dispose();
        _database = CommonsDatabase.Open(_directory);
        _subscriptions = new LiteSubscriptionStore(_database);
        Assert.Equal("place.resources", _subscriptions.Find("s1")!.Kind);

        manager = Manager();
        Assert.StartsWith("actor updated; subscription shows", manager.OnActorUpdated(Actor("place.bookings")));
        Assert.Equal("place.bookings", _subscriptions.Find("s1")!.Kind);
        // No kind any more (a custom dataset), or one no kind could be named: none kept.
        manager.OnActorUpdated(Actor(null));
        Assert.Null(_subscriptions.Find("s1")!.Kind);
        foreach (var nonsense in new JsonNode[] { "Place.Resources", "place", new string('a', 60) + "." + new string('b', 60), 42, new JsonObject { ["name"] = "place.resources" } })
        {
            manager.OnActorUpdated(Actor(nonsense));
            Assert.Null(_subscriptions.Find("s1")!.Kind);
        }
    }
}
