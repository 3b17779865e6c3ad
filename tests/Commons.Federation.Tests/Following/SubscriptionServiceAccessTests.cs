using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Tokens;
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

namespace Commons.Federation.Tests.Following;

/// <summary>
/// <see cref="SubscriptionService"/> decides who may do what with what the node follows, on the node's real stores:
/// every member reads subscriptions and replicas; only a credential that may write follows, unfollows or verifies, and a
/// refusal comes before anything is looked up or changed. <see cref="SubscriptionManager.OnActorUpdated"/> keeps the
/// remote dataset's name and policy current.
/// </summary>
public sealed class SubscriptionServiceAccessTests : IDisposable
{
    private static readonly Caller Writer = new("wim", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    private static readonly Caller ReadOnly = new("rita", MemberRole.Member, TokenScopes.Read);
    private static readonly Caller AdminReadOnly = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Admin);
    private const string Origin = "http://a.test/datasets/offers";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-subscription-access-{Guid.NewGuid():N}");
    private readonly FakeClock _clock = new(DeliveryRig.Start);
    private readonly CommonsDatabase _database;
    private readonly LiteSubscriptionStore _subscriptions;
    private readonly LiteReplicaStore _replicas;
    private readonly LiteDeliveryQueue _queue;
    private readonly SubscriptionManager _manager;
    private readonly SubscriptionService _service;

    public SubscriptionServiceAccessTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _subscriptions = new LiteSubscriptionStore(_database);
        _replicas = new LiteReplicaStore(_database);
        _queue = new LiteDeliveryQueue(_database);
        var signal = new WorkSignal();
        var http = HttpTest.Client(clock: _clock);
        var actors = new RemoteActorFetcher(http, HttpTest.Signer, new PublicKeyCache(), _clock);
        var uris = new ActivityUris("http://b.test");
        _manager = new SubscriptionManager(_subscriptions, _replicas, actors, new RemoteDatasetLookup(actors, new WebFingerClient(http, HttpTest.Signer), uris),
            new Outbox(_queue, signal, _clock), uris, _clock);
        _service = new SubscriptionService(_manager, _subscriptions, _replicas, new ReplicaCheck(_subscriptions, _replicas, http, HttpTest.Signer),
            new ReplicaExport(_subscriptions, _replicas, actors, _clock), signal);

        _subscriptions.Upsert(new Subscription
        {
            Id = "s1", DatasetActor = Origin, Inbox = Origin + "/inbox", Name = "Offers", Policy = SharingPolicy.Public,
            FollowActivityId = "http://b.test/actor#follows/1", State = SubscriptionState.Accepted, RequestedBy = "wim", Since = DeliveryRig.Start,
        });
        using var data = JsonDocument.Parse("""{"name":"Ladder"}""");
        _replicas.ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = "s1", RecordId = "r1", ObjectUri = Origin + "/records/r1", Revision = 1, Data = data.RootElement.Clone(), Name = "Ladder",
            ReceivedAt = DeliveryRig.Start,
        });
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Theory]
    [InlineData("follow")]
    [InlineData("unfollow")]
    [InlineData("unfollow a subscription that does not exist")]
    [InlineData("verify")]
    public async Task A_read_only_token_neither_follows_nor_unfollows_nor_verifies_and_nothing_changes(string operation)
    {
        Func<Caller, Task> call = operation switch
        {
            "follow" => c => _service.FollowAsync(c, "offers@a.test", CancellationToken.None),
            "unfollow" => c => Task.FromResult(_service.Unfollow(c, "s1")),
            "verify" => c => _service.VerifyAsync(c, "s1", CancellationToken.None),
            _ => c => Task.FromResult(_service.Unfollow(c, "none")),
        };
        foreach (var caller in new[] { ReadOnly, AdminReadOnly })
        {
            // Refused before anything is resolved or looked up: no request leaves, a missing id is not revealed.
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => call(caller));
            Assert.Equal(ProblemCodes.Forbidden, refused.Code);
        }
        Assert.False(SubscriptionService.MayChange(ReadOnly));
        Assert.Equal(SubscriptionState.Accepted, _subscriptions.Find("s1")!.State);
        Assert.Equal(1, _replicas.Count("s1"));
        Assert.Equal(0, _queue.CountPending());
    }

    [Fact]
    public async Task Every_member_reads_subscriptions_and_replicas_a_read_only_token_included()
    {
        Assert.Equal("s1", Assert.Single(_service.List(ReadOnly)).Id);
        var followed = _service.Followed(ReadOnly, "s1");
        Assert.Equal(1L, followed.Records);
        Assert.Equal(DeliveryRig.Start, _service.LastReceived(ReadOnly, "s1"));
        Assert.Equal(SharingPolicy.Public, followed.Subscription.Policy);
        Assert.Equal("Ladder", Assert.Single(_service.Records(ReadOnly, "s1", null, 10, null).Records).Name);
        Assert.Equal("r1", Assert.Single(_service.RecentlyReceived(ReadOnly, 5)).Record.RecordId);
        Assert.Throws<NotFoundException>(() => _service.Get(ReadOnly, "none"));
        await Assert.ThrowsAsync<NotFoundException>(() => _service.ExportAsync(ReadOnly, "none", CancellationToken.None));
    }

    [Fact]
    public void A_writer_unfollows_the_owner_is_told_and_the_replica_goes()
    {
        Assert.Throws<NotFoundException>(() => _service.Unfollow(Writer, "none"));
        Assert.False(_service.Unfollow(Writer, "s1"));
        Assert.Null(_subscriptions.Find("s1"));
        Assert.Equal(0, _replicas.Count("s1"));
        Assert.Equal("Undo", Assert.Single(_queue.List(dead: false, 10)).ActivityType);
    }

    [Fact]
    public void An_actor_update_brings_the_remote_datasets_new_name_and_policy_to_the_subscription()
    {
        Assert.StartsWith("actor updated; subscription shows", _manager.OnActorUpdated(Actor("Tools to lend", "approval")));
        var updated = _subscriptions.Find("s1")!;
        Assert.Equal(("Tools to lend", SharingPolicy.Approval), (updated.Name, updated.Policy));

        // An actor that says nothing (or nonsense) about its policy leaves the last one known.
        _manager.OnActorUpdated(Actor("Tools", null));
        _manager.OnActorUpdated(Actor("Tools", "everyone"));
        Assert.Equal(("Tools", SharingPolicy.Approval), (_subscriptions.Find("s1")!.Name, _subscriptions.Find("s1")!.Policy));
        Assert.Equal("actor updated; subscription unchanged", _manager.OnActorUpdated(Actor("Tools", "approval")));
        Assert.Equal(SubscriptionState.Accepted, _subscriptions.Find("s1")!.State);
    }

    [Fact]
    public void An_actor_update_brings_the_names_in_each_language_and_drops_them_when_the_origin_does()
    {
        var names = new System.Text.Json.Nodes.JsonObject { ["fr"] = "Outils à prêter", ["nl"] = "Gereedschap te leen", ["de"] = "Werkzeuge" };
        Assert.StartsWith("actor updated; subscription shows", _manager.OnActorUpdated(Actor("Tools to lend", "approval", names)));
        Assert.Equal(new LocalizedText("Outils à prêter", "Gereedschap te leen", null), _subscriptions.Find("s1")!.NameMap);
        Assert.Equal("actor updated; subscription unchanged", _manager.OnActorUpdated(Actor("Tools to lend", "approval", names.DeepClone().AsObject())));

        Assert.StartsWith("actor updated; subscription shows", _manager.OnActorUpdated(Actor("Tools to lend", "approval")));
        Assert.Null(_subscriptions.Find("s1")!.NameMap);
    }

    [Fact]
    public void An_actor_update_brings_the_schema_display_and_description_and_drops_a_hostile_schema()
    {
        var terms = new System.Text.Json.Nodes.JsonObject
        {
            [ActivityStreamsContext.Schema] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"object","properties":{"nom":{"type":"string"},"commune":{"type":"string"}}}"""),
            [ActivityStreamsContext.TitleField] = "nom",
            [ActivityStreamsContext.Columns] = new System.Text.Json.Nodes.JsonArray("commune"),
            ["summary"] = "<p>Rooms</p>",
            ["summaryMap"] = new System.Text.Json.Nodes.JsonObject { ["fr"] = "<p>Salles &amp; locaux</p>" },
        };
        Assert.StartsWith("actor updated; subscription shows", _manager.OnActorUpdated(Actor("Offers", "public", extra: terms)));
        var kept = _subscriptions.Find("s1")!;
        Assert.Equal(("nom", "Rooms", "Salles & locaux"), (kept.TitleField, kept.Description, kept.DescriptionMap?.Fr));
        Assert.Equal(["commune"], kept.Columns);
        Assert.Contains("\"commune\"", kept.Schema, StringComparison.Ordinal);
        Assert.Equal("actor updated; subscription unchanged", _manager.OnActorUpdated(Actor("Offers", "public", extra: terms.DeepClone().AsObject())));

        terms[ActivityStreamsContext.Schema] = new System.Text.Json.Nodes.JsonObject { ["description"] = new string('x', 1024 * 1024) };
        terms[ActivityStreamsContext.TitleField] = 42;
        _manager.OnActorUpdated(Actor("Offers", "public", extra: terms));
        kept = _subscriptions.Find("s1")!;
        Assert.Equal((null, null), (kept.Schema, kept.TitleField));
        Assert.Equal(["commune"], kept.Columns);
    }

    private RemoteActor Actor(string name, string? policy, System.Text.Json.Nodes.JsonObject? nameMap = null, System.Text.Json.Nodes.JsonObject? extra = null)
    {
        var document = new System.Text.Json.Nodes.JsonObject { ["id"] = Origin, ["type"] = "Service", ["name"] = name, ["inbox"] = Origin + "/inbox" };
        if (policy is not null) document[ActivityStreamsContext.Policy] = policy;
        if (nameMap is not null) document["nameMap"] = nameMap;
        foreach (var (key, value) in extra ?? []) document[key] = value?.DeepClone();
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return new RemoteActor(new Uri(Origin), "Service", "offers", new Uri(Origin + "/inbox"), null, null, null, [], parsed.RootElement.Clone(), _clock.GetUtcNow());
    }
}
