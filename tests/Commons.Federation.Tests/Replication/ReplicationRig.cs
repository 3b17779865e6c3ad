using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Records;
using Record = Commons.Core.Records.Record;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Actors;
using Commons.Federation.Http;
using Commons.Federation.Replication;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Tests.Delivery;
using Commons.Federation.Tests.Http;
using Commons.Storage;
using Commons.Storage.Federation;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// An origin node A and a follower B, each on a real LiteDB file in a temporary folder, on one <see cref="FakeClock"/>.
/// A: the real dataset, record and change stores and services, its <see cref="ActorKeyring"/>, <see cref="ObjectProofs"/>
/// and <see cref="BackfillFeed"/>; its dataset actors (with their Ed25519 Multikeys in <c>assertionMethod</c>) are served by a
/// WireMock peer on 127.0.0.1 under the name <see cref="HttpTest.PeerHost"/>. B: subscriptions, a <see cref="LiteReplicaStore"/>,
/// and the real <see cref="RemoteActorFetcher"/> → <see cref="ProofVerifier"/> → <see cref="ReplicaApplier"/>.
/// </summary>
internal sealed class ReplicationRig : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Caller Admin = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
    public const string SimpleSchema = """{"type":"object"}""";

    private readonly string _originDir = Path.Combine(Path.GetTempPath(), $"commons-replication-a-{Guid.NewGuid():N}");
    private readonly string _followerDir = Path.Combine(Path.GetTempPath(), $"commons-replication-b-{Guid.NewGuid():N}");
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly SignedHttpClient _http;

    public ReplicationRig()
    {
        Uris = new ActivityUris(_peer.PeerUrl());
        OriginDb = CommonsDatabase.Open(_originDir);
        DatasetStore = new LiteDatasetStore(OriginDb);
        RecordStore = new LiteRecordStore(OriginDb);
        Feed = new LiteChangeFeed(OriginDb);
        Datasets = new DatasetService(DatasetStore, RecordStore, new LiteMemberStore(OriginDb), Clock);
        Records = new RecordService(Datasets, RecordStore, Feed, new RecordLimits(), Clock);
        Keys = new ActorKeyring(new LiteActorKeyStore(OriginDb), Clock);
        Proofs = new ObjectProofs(Keys, Uris, Clock);
        Backfill = new BackfillFeed(RecordStore, Feed, Uris, Proofs);

        FollowerDb = CommonsDatabase.Open(_followerDir);
        Subscriptions = new LiteSubscriptionStore(FollowerDb);
        Replicas = new LiteReplicaStore(FollowerDb);
        _http = HttpTest.Client(clock: Clock);
        Actors = new RemoteActorFetcher(_http, HttpTest.Signer, new PublicKeyCache(), Clock);
        Verifier = new ProofVerifier(Actors);
        Applier = new ReplicaApplier(Subscriptions, Replicas, Verifier, Clock);
    }

    public FakeClock Clock { get; } = new(Start);
    /// <summary>The origin's HTTP side (127.0.0.1): its dataset actors, and whatever a test serves beside them.</summary>
    public WireMockServer Peer => _peer;
    public ActivityUris Uris { get; }
    public CommonsDatabase OriginDb { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteChangeFeed Feed { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }
    public ActorKeyring Keys { get; }
    public ObjectProofs Proofs { get; }
    public BackfillFeed Backfill { get; }
    public CommonsDatabase FollowerDb { get; }
    public LiteSubscriptionStore Subscriptions { get; }
    public LiteReplicaStore Replicas { get; }
    public RemoteActorFetcher Actors { get; }
    public ProofVerifier Verifier { get; }
    public ReplicaApplier Applier { get; }

    /// <summary>A public dataset on A, its actor document served by the peer.</summary>
    public Dataset Dataset(string slug, IReadOnlyList<string>? excluded = null)
    {
        var dataset = Datasets.Create(Admin, new DatasetDraft
        {
            Slug = slug, Title = new LocalizedText("Offres", "Aanbod", "Offers"), Schema = SimpleSchema,
            Policy = SharingPolicy.Public, ExcludedFields = excluded ?? [],
        });
        ServeActor(dataset);
        return dataset;
    }

    public string ActorOf(string slug) => Uris.DatasetActor(slug);

    public void ServeActor(Dataset dataset)
    {
        var document = ActorDocuments.DatasetActor(dataset, Uris, Keys.PublicKeysOf(dataset.Slug));
        _peer.Given(Request.Create().WithPath($"/datasets/{dataset.Slug}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/activity+json").WithBody(document.ToJsonString()));
    }

    /// <summary>
    /// B's subscription to a dataset of A (accepted unless told otherwise). The store keeps one per actor; with
    /// <paramref name="store"/> false the subscription only names a separate replica (range of the replica store).
    /// </summary>
    public Subscription Subscribe(string slug, SubscriptionState state = SubscriptionState.Accepted, string? id = null, bool store = true)
    {
        var actor = ActorOf(slug);
        var subscription = new Subscription
        {
            Id = id ?? $"sub-{slug}-{Guid.NewGuid():N}"[..24], DatasetActor = actor, Inbox = actor + "/inbox",
            FollowActivityId = ActivityUris.FollowId("http://b.test/actor", Guid.NewGuid()), State = state,
            RequestedBy = "admin", Since = Clock.GetUtcNow(),
        };
        if (store) Subscriptions.Upsert(subscription);
        return subscription;
    }

    /// <summary>The activity A publishes for a change (with the record's state right after it), signed as A signs it; null when nothing is sent.</summary>
    public JsonObject? Signed(Dataset dataset, Change? change, Record record) =>
        change is null ? null : DatasetActivities.ForChange(dataset, change, record, Uris) is { } activity ? Proofs.SignActivity(dataset.Slug, activity) : null;

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    public static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>Every replica document of a subscription, tombstones included, by record id.</summary>
    public IReadOnlyDictionary<string, ReplicaRecord> ReplicaState(string subscriptionId, IEnumerable<string> recordIds) =>
        recordIds.Select(id => Replicas.Get(subscriptionId, id)).Where(r => r is not null).ToDictionary(r => r!.RecordId, r => r!);

    public void Dispose()
    {
        _http.Dispose();
        _peer.Stop();
        OriginDb.Dispose();
        FollowerDb.Dispose();
        foreach (var dir in new[] { _originDir, _followerDir })
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
