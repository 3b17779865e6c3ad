using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Following;
using Commons.Federation.Http;
using Commons.Federation.Replication;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Delivery;
using Commons.Federation.Tests.Http;
using Commons.Storage;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging.Abstractions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// Following and backfilling against misbehaving peers (WireMock on 127.0.0.1): an ordinary ActivityPub account with a
/// cursor-paged outbox, an outbox that never advances, an owner answering 503 and then coming back, an outbox gone.
/// Our side runs on real LiteDB stores and a clock the test moves; the back-off is proven by counting the peer's requests.
/// </summary>
public sealed class BackfillBackOffTests : IDisposable
{
    private const string DatasetPath = "/datasets/offers";
    private const string PersonPath = "/users/alice";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-backfill-backoff-{Guid.NewGuid():N}");
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly FakeClock _clock = new(DeliveryRig.Start);
    private readonly CommonsDatabase _database;
    private readonly SignedHttpClient _http;
    private readonly LiteSubscriptionStore _subscriptions;
    private readonly LiteDeliveryQueue _queue;
    private readonly RetrySchedule _schedule = new();
    private readonly RemoteActorFetcher _actors;
    private readonly BackfillClient _backfill;

    public BackfillBackOffTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _subscriptions = new LiteSubscriptionStore(_database);
        _queue = new LiteDeliveryQueue(_database);
        _http = HttpTest.Client(clock: _clock);
        _actors = new RemoteActorFetcher(_http, HttpTest.Signer, new PublicKeyCache(), _clock);
        var applier = new ReplicaApplier(_subscriptions, new LiteReplicaStore(_database), new ProofVerifier(_actors), _clock);
        _backfill = new BackfillClient(_subscriptions, _actors, _http, HttpTest.Signer, applier, _schedule, _clock, NullLogger<BackfillClient>.Instance)
        {
            StopAfterMalformed = 4,
        };
    }

    public void Dispose()
    {
        _http.Dispose();
        _peer.Stop();
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string Url(string path) => _peer.PeerUrl(path);

    private JsonObject Actor(string path, string type, bool commonsTerms)
    {
        var actor = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = Url(path),
            ["type"] = type,
            ["preferredUsername"] = path.Split('/')[^1],
            ["inbox"] = Url(path + "/inbox"),
            ["outbox"] = Url(path + "/outbox"),
            ["publicKey"] = new JsonObject { ["id"] = Url(path) + "#main-key", ["owner"] = Url(path), ["publicKeyPem"] = HttpTest.RsaPublicKeyPem },
        };
        if (commonsTerms)
        {
            actor[ActivityStreamsContext.Policy] = "public";
            actor[ActivityStreamsContext.Schema] = new JsonObject { ["type"] = "object" };
        }
        return actor;
    }

    private void Serve(string path, JsonNode document) =>
        _peer.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/activity+json").WithBody(document.ToJsonString()));

    private void ServeStatus(string path, int status) =>
        _peer.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Retry-After", "1"));

    /// <summary>A Commons backfill page: nothing in it, covering up to <paramref name="last"/> of <paramref name="lastSeq"/> changes.</summary>
    private static JsonObject Page(long last, long lastSeq) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["type"] = "OrderedCollectionPage",
        ["orderedItems"] = new JsonArray(),
        [ActivityStreamsContext.Last] = last,
        [ActivityStreamsContext.LastSeq] = lastSeq,
    };

    /// <summary>A Mastodon outbox page: items, paged by cursor, no commons:last.</summary>
    private JsonObject CursorPage() => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = Url(PersonPath + "/outbox?page=true"),
        ["type"] = "OrderedCollectionPage",
        ["next"] = Url(PersonPath + "/outbox?max_id=110&page=true"),
        ["orderedItems"] = new JsonArray(new JsonObject { ["type"] = "Create", ["actor"] = Url(PersonPath), ["object"] = new JsonObject { ["type"] = "Note", ["content"] = "Bonjour" } }),
    };

    /// <summary>
    /// The requests the peer logged for <paramref name="path"/>, once at least <paramref name="expected"/> are there (WireMock may
    /// log an exchange just after the client has its answer; waits at most 10 s, in steps of 10 ms, as a loaded CI machine may need).
    /// </summary>
    private async Task<int> Requests(string path, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Count() < expected && DateTime.UtcNow < deadline) await Task.Delay(10);
        return Count();
        int Count() => _peer.LogEntries.Count(e => e.RequestMessage!.Path == path);
    }

    private Subscription Subscribe(string path)
    {
        var subscription = new Subscription
        {
            Id = Guid.NewGuid().ToString("N"), DatasetActor = Url(path), Inbox = Url(path + "/inbox"),
            FollowActivityId = ActivityUris.FollowId("http://b.test/actor", Guid.NewGuid()), State = SubscriptionState.Accepted,
            RequestedBy = "admin", Since = _clock.GetUtcNow(),
        };
        _subscriptions.Upsert(subscription);
        return subscription;
    }

    private Subscription Stored(Subscription s) => _subscriptions.Find(s.Id)!;

    private SubscriptionManager Manager()
    {
        var uris = new ActivityUris("http://b.test");
        return new(_subscriptions, new LiteReplicaStore(_database), _actors, new RemoteDatasetLookup(_actors, new WebFingerClient(_http, HttpTest.Signer), uris),
            new Outbox(_queue, new WorkSignal(), _clock), uris, _clock);
    }

    /// <summary>Worker rounds with the clock standing still: what a loop waking every half second would do meanwhile.</summary>
    private async Task RoundsAsync(int count)
    {
        for (var i = 0; i < count; i++) await _backfill.RunOnceAsync(CancellationToken.None);
    }

    /// <summary>Moves the clock to when the subscription's back-off ends, and runs one round.</summary>
    private async Task AtRetryAsync(Subscription s)
    {
        _clock.SetTo(Stored(s).BackfillRetryAt!.Value);
        await _backfill.RunOnceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Following_an_ordinary_account_is_refused_with_a_reason_and_nothing_is_sent_or_stored()
    {
        Serve(PersonPath, Actor(PersonPath, "Person", commonsTerms: false));
        Serve(PersonPath + "/outbox", CursorPage());
        var manager = Manager();

        var e = await Assert.ThrowsAsync<ValidationException>(() => manager.FollowAsync(Url(PersonPath), "admin", CancellationToken.None));

        var error = Assert.Single(e.Errors);
        Assert.Equal("target", error.Path);
        Assert.StartsWith(DatasetActorRecognition.NotADatasetPrefix, error.Message, StringComparison.Ordinal);
        Assert.Contains("Person", error.Message, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.NotADataset, e.Code);
        Assert.Empty(_subscriptions.List());
        Assert.Empty(_queue.List(dead: false, 10));
        Assert.Equal(0, await Requests(PersonPath + "/outbox", 0));
    }

    [Fact]
    public async Task A_service_without_the_commons_terms_is_refused_too()
    {
        Serve("/users/bot", Actor("/users/bot", "Service", commonsTerms: false));
        var manager = Manager();

        var e = await Assert.ThrowsAsync<ValidationException>(() => manager.FollowAsync(Url("/users/bot"), "admin", CancellationToken.None));

        Assert.Contains("commons:policy", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Empty(_subscriptions.List());
    }

    [Fact]
    public async Task An_accepted_follow_of_an_ordinary_account_stops_at_once_with_its_reason_and_never_pages_its_outbox()
    {
        Serve(PersonPath, Actor(PersonPath, "Person", commonsTerms: false));
        Serve(PersonPath + "/outbox", CursorPage());
        var s = Subscribe(PersonPath);

        await RoundsAsync(20);
        _clock.Advance(TimeSpan.FromDays(3));
        await RoundsAsync(20);

        var stopped = Stored(s);
        Assert.Equal(SubscriptionState.Stopped, stopped.State);
        Assert.StartsWith("backfill stopped: " + DatasetActorRecognition.NotADatasetPrefix, stopped.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await Requests(PersonPath + "/outbox", 0));
        Assert.Equal(1, await Requests(PersonPath, 1));
    }

    [Fact]
    public async Task An_outbox_that_never_advances_is_asked_once_per_back_off_step_then_stopped_with_the_reason()
    {
        Serve(DatasetPath, Actor(DatasetPath, "Service", commonsTerms: true));
        Serve(DatasetPath + "/outbox", Page(last: 0, lastSeq: 5));
        var s = Subscribe(DatasetPath);

        await RoundsAsync(20);
        Assert.Equal(1, await Requests(DatasetPath + "/outbox", 1));
        var first = Stored(s);
        Assert.Equal(1, first.BackfillFailures);
        Assert.Contains("does not advance", first.BackfillError, StringComparison.Ordinal);
        Assert.InRange(first.BackfillRetryAt!.Value - DeliveryRig.Start, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));

        // Just before the step ends nothing is asked; at its end, once; the next step is about twice as long.
        _clock.SetTo(first.BackfillRetryAt.Value - TimeSpan.FromSeconds(1));
        await RoundsAsync(20);
        Assert.Equal(1, await Requests(DatasetPath + "/outbox", 1));
        await AtRetryAsync(s);
        await RoundsAsync(20);
        Assert.Equal(2, await Requests(DatasetPath + "/outbox", 2));
        var second = Stored(s);
        Assert.InRange(second.BackfillRetryAt!.Value - _clock.GetUtcNow(), TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));

        await AtRetryAsync(s);
        await AtRetryAsync(s);
        var stopped = Stored(s);
        Assert.Equal(4, await Requests(DatasetPath + "/outbox", 4));
        Assert.Equal(SubscriptionState.Stopped, stopped.State);
        Assert.Equal(_clock.GetUtcNow(), stopped.ChangedAt);
        Assert.Contains("does not advance", stopped.Reason, StringComparison.Ordinal);
        Assert.Null(stopped.BackfillRetryAt);

        _clock.Advance(TimeSpan.FromDays(2));
        await RoundsAsync(20);
        Assert.Equal(4, await Requests(DatasetPath + "/outbox", 4));
    }

    [Fact]
    public async Task An_owner_down_backs_off_without_ever_stopping_and_resumes_when_it_is_up_again()
    {
        Serve(DatasetPath, Actor(DatasetPath, "Service", commonsTerms: true));
        ServeStatus(DatasetPath + "/outbox", 503);
        var s = Subscribe(DatasetPath);

        await RoundsAsync(20);
        Assert.Equal(1, await Requests(DatasetPath + "/outbox", 1));
        for (var step = 2; step <= 12; step++)
        {
            await AtRetryAsync(s);
            await RoundsAsync(5);
            Assert.Equal(step, await Requests(DatasetPath + "/outbox", step));
        }
        var down = Stored(s);
        Assert.Equal(SubscriptionState.Accepted, down.State);
        Assert.Equal(12, down.BackfillFailures);
        Assert.Equal("the outbox answered 503", down.BackfillError);
        // The steps grow to the delivery schedule's cap (its ±20 % jitter included), no further.
        Assert.InRange(down.BackfillRetryAt!.Value - _clock.GetUtcNow(), _schedule.Cap * 0.8, _schedule.Cap * 1.2);

        _peer.ResetMappings();
        Serve(DatasetPath, Actor(DatasetPath, "Service", commonsTerms: true));
        Serve(DatasetPath + "/outbox", Page(last: 0, lastSeq: 0));
        await AtRetryAsync(s);

        var up = Stored(s);
        Assert.Equal(SubscriptionState.Accepted, up.State);
        Assert.Null(up.BackfillError);
        Assert.True(up.BackfillDone);
        Assert.Equal(0, up.BackfillFailures);
        Assert.Null(up.BackfillRetryAt);
        Assert.Null(up.BackfillError);
    }

    [Fact]
    public async Task A_backfill_backing_off_is_brought_forward_when_the_owner_speaks()
    {
        Serve(DatasetPath, Actor(DatasetPath, "Service", commonsTerms: true));
        ServeStatus(DatasetPath + "/outbox", 503);
        var s = Subscribe(DatasetPath);
        await RoundsAsync(3);
        Assert.Equal(1, await Requests(DatasetPath + "/outbox", 1));

        _peer.ResetMappings();
        Serve(DatasetPath, Actor(DatasetPath, "Service", commonsTerms: true));
        Serve(DatasetPath + "/outbox", Page(last: 0, lastSeq: 0));
        Assert.True(_backfill.BringForward(Url(DatasetPath)));
        await RoundsAsync(1);

        Assert.Equal(2, await Requests(DatasetPath + "/outbox", 2));
        Assert.True(Stored(s).BackfillDone);
        Assert.False(_backfill.BringForward(Url(DatasetPath)));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task An_outbox_gone_stops_at_once(int status)
    {
        Serve(DatasetPath, Actor(DatasetPath, "Service", commonsTerms: true));
        ServeStatus(DatasetPath + "/outbox", status);
        var s = Subscribe(DatasetPath);

        await RoundsAsync(5);

        var stopped = Stored(s);
        Assert.Equal(SubscriptionState.Stopped, stopped.State);
        Assert.Equal($"backfill stopped: the outbox answered {status}", stopped.Reason);
        Assert.Equal(1, await Requests(DatasetPath + "/outbox", 1));

        // The owner still counts us as a follower: unfollowing tells it, as for a live subscription.
        Assert.False(Manager().Unfollow(s.Id));
        var undo = Assert.Single(_queue.List(dead: false, 10));
        Assert.Equal("Undo", undo.ActivityType);
        Assert.Equal(Url(DatasetPath + "/inbox"), undo.Inbox);
        Assert.Null(_subscriptions.Find(s.Id));
    }
}
