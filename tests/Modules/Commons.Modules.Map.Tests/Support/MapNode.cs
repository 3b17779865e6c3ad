using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Map.Services;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Modules.Map.Tests.Support;

/// <summary>
/// The map module over a real LiteDB store in a temporary folder, wired as the node wires it: the stores behind Core's
/// ports (replicas and subscriptions too), the domain services with the module's kinds, the module's services.
/// </summary>
public sealed class MapNode : IDisposable
{
    public const TokenScopes AllScopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    public static readonly Caller Admin = new("root", MemberRole.Admin, AllScopes);
    public static readonly Caller Alice = new("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    /// <summary>Wednesday 1 April 2026, 10:00 in Brussels: the evaluation set's "now".</summary>
    public static readonly DateTimeOffset Start = new(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public SetClock Clock { get; } = new(Start);
    public CommonsDatabase Database { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteModuleStore ModuleStore { get; }
    public LiteSubscriptionStore Subscriptions { get; }
    public LiteReplicaStore Replicas { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }
    public MapDirectory Directory { get; }
    public MapService Map { get; }
    public MatchIndexCache Indexes { get; }
    public MapPages Pages { get; }
    public LiteChangeFeed Feed { get; }
    public MapNews News { get; }
    public global::Commons.Modules.Map.Tiles.TileSettings Tiles { get; }

    public MapNode()
    {
        System.IO.Directory.CreateDirectory(_folder);
        Database = CommonsDatabase.Open(Path.Combine(_folder, "data"));
        var kinds = new DatasetKindRegistry(new MapModule().Kinds);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        ModuleStore = new LiteModuleStore(Database);
        Subscriptions = new LiteSubscriptionStore(Database);
        Replicas = new LiteReplicaStore(Database);
        var members = new LiteMemberStore(Database);
        Datasets = new DatasetService(DatasetStore, RecordStore, members, Clock, kinds: kinds);
        Feed = new LiteChangeFeed(Database);
        Records = new RecordService(Datasets, RecordStore, Feed, new Core.Records.RecordLimits(), Clock, kinds: kinds);
        Directory = new MapDirectory(DatasetStore, RecordStore, Subscriptions, Replicas);
        Indexes = new MatchIndexCache(Directory, Subscriptions, Replicas, Feed);
        Map = new MapService(Directory, Records, ModuleStore, Clock, Indexes);
        Pages = new MapPages(Map, Directory, ModuleStore, Subscriptions, Replicas);
        News = new MapNews(Map, Directory, ModuleStore, Subscriptions, Replicas, Feed, Clock);
        Tiles = new global::Commons.Modules.Map.Tiles.TileSettings(ModuleStore, Clock);
    }

    public Dataset CreateDataset(string slug, string kind) =>
        Datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });

    /// <summary>A followed dataset of <paramref name="host"/> whose replica holds <paramref name="records"/> (id → data).</summary>
    public void Follow(string host, string id, SubscriptionState state, params (string Id, string Json)[] records)
    {
        Subscriptions.Upsert(new Subscription
        {
            Id = id, DatasetActor = $"https://{host}/datasets/offers", Inbox = $"https://{host}/inbox", FollowActivityId = $"https://us/follows/{id}",
            State = state, RequestedBy = "root", Since = Start,
        });
        var revision = 1;
        foreach (var (recordId, json) in records)
            Replicas.ApplyIfNewer(new ReplicaRecord
            {
                SubscriptionId = id, RecordId = recordId, ObjectUri = $"https://{host}/datasets/offers/records/{recordId}",
                Revision = revision++, Data = Doc(json), ReceivedAt = Start,
            });
    }

    public static JsonElement Doc(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public void Dispose()
    {
        Database.Dispose();
        try { System.IO.Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
