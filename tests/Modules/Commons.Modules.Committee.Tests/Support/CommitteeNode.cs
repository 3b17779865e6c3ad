using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;
using Commons.Modules.Committee.Services;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Modules.Committee.Tests.Support;

/// <summary>
/// One committee node: the module over a real LiteDB store in a temporary folder, wired as the node wires it, with its
/// actors' keys and its gateway on the <see cref="CommitteeNetwork"/>. A coordinator also holds the committee, its
/// proposals and its decisions (<see cref="Coordinate"/>).
/// </summary>
public sealed class CommitteeNode : IDisposable
{
    public const TokenScopes AllScopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    public static readonly Caller Admin = new("root", MemberRole.Admin, AllScopes);
    public static readonly Caller Member = new("mia", MemberRole.Member, AllScopes);
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public string Name { get; }
    public string Actor { get; }
    public SetClock Clock { get; }
    public CommonsDatabase Database { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteModuleStore ModuleStore { get; }
    public LiteSubscriptionStore Subscriptions { get; }
    public LiteReplicaStore Replicas { get; }
    public LiteExchangeStore Exchanges { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }
    public TestProofs Proofs { get; }
    public HttpGateway Gateway { get; }
    public CommitteeClosing Closing { get; }
    public CommitteeRecount Recount { get; }
    public CommitteeDecisionFinder Finder { get; }
    public CommitteeGovernance Governance { get; }
    public CommitteeService Service { get; }
    public CommitteeFollowUps FollowUps { get; }
    public IReadOnlyList<IRequestHandler> Handlers { get; }

    public CommitteeNode(CommitteeNetwork network, string name, SetClock clock)
    {
        Name = name;
        Clock = clock;
        Actor = network.NodeActor(name);
        Directory.CreateDirectory(_folder);
        Database = CommonsDatabase.Open(Path.Combine(_folder, "data"));
        var kinds = new DatasetKindRegistry(new CommitteeModule().Kinds);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        ModuleStore = new LiteModuleStore(Database);
        Subscriptions = new LiteSubscriptionStore(Database);
        Replicas = new LiteReplicaStore(Database);
        Exchanges = new LiteExchangeStore(Database);
        Datasets = new DatasetService(DatasetStore, RecordStore, new LiteMemberStore(Database), Clock, kinds: kinds);
        Records = new RecordService(Datasets, RecordStore, new LiteChangeFeed(Database), new Core.Records.RecordLimits(), Clock, kinds: kinds);
        Proofs = new TestProofs(network, name, clock);
        network.KeyOf(Actor);
        Gateway = new HttpGateway(network, this);
        Closing = new CommitteeClosing(DatasetStore, RecordStore, Records, ModuleStore, Proofs, Clock);
        Recount = new CommitteeRecount(Proofs);
        Finder = new CommitteeDecisionFinder(DatasetStore, RecordStore, Subscriptions, Replicas, Proofs);
        Governance = new CommitteeGovernance(ModuleStore, Finder, Subscriptions, Replicas, Proofs, Clock);
        Service = new CommitteeService(Datasets, Records, RecordStore, ModuleStore, Gateway,
            new LocalBallots(DatasetStore, ModuleStore, Proofs, Exchanges, Clock), Closing, Recount, Finder, Governance, Clock);
        FollowUps = new CommitteeFollowUps(Gateway, Finder, Proofs);
        Handlers = [new VoteRequestHandler(ModuleStore), new FollowUpRequestHandler(RecordStore, Records)];
        network.Nodes[name] = this;
    }

    public Dataset CreateDataset(string slug, string kind)
    {
        var dataset = Datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });
        Proofs.Sign(slug, JsonSerializer.SerializeToElement(new { warm = true }));
        return dataset;
    }

    /// <summary>This node coordinates committee "steering" of <paramref name="members"/> (datasets committee, proposals, decisions).</summary>
    public CommitteeNode Coordinate(IEnumerable<(string Actor, decimal Weight)> members, params string[] governs)
    {
        CreateDataset("committee", CommitteeKind.KindName);
        CreateDataset("proposals", ProposalsKind.KindName);
        CreateDataset("decisions", DecisionsKind.KindName);
        var committee = new JsonObject
        {
            ["name"] = new JsonObject { ["fr"] = "Comité de pilotage", ["en"] = "Steering committee" },
            ["members"] = new JsonArray(members.Select(m => (JsonNode)new JsonObject { ["actor"] = m.Actor, ["weight"] = m.Weight }).ToArray()),
            ["proposals"] = "proposals", ["decisions"] = "decisions",
            ["governs"] = new JsonArray(governs.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
        };
        Records.Create(Admin, "committee", "steering", Doc(committee));
        return this;
    }

    /// <summary>Puts proposal <paramref name="id"/> to the vote: open from <see cref="Start"/> for an hour unless said otherwise.</summary>
    public void Propose(string id, string rule = VotingRules.Simple, decimal quorum = 0.5m, bool hidden = false, string[]? choices = null,
        (string Setting, string Scope)? authorises = null, DateTimeOffset? opens = null)
    {
        var from = opens ?? Start;
        var proposal = new JsonObject
        {
            ["title"] = new JsonObject { ["fr"] = $"Proposition {id}", ["nl"] = $"Voorstel {id}", ["en"] = $"Proposal {id}" },
            ["opens"] = from.ToString("yyyy-MM-dd'T'HH:mm:ssK"), ["closes"] = from.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ssK"),
            ["quorum"] = quorum, ["rule"] = rule, ["hiddenResults"] = hidden,
        };
        if (choices is not null) proposal["options"] = new JsonArray(choices.Select(c => (JsonNode)new JsonObject { ["id"] = c }).ToArray());
        if (authorises is { } a) proposal["authorises"] = new JsonObject { ["setting"] = a.Setting, ["scope"] = a.Scope };
        Records.Create(Admin, "proposals", id, Doc(proposal));
    }

    /// <summary>Keeps <paramref name="decision"/> as a replica of <paramref name="decisionsActor"/>, as following the coordinator's decisions would.</summary>
    public void Replicate(string decisionsActor, string id, JsonElement decision, string kind = DecisionsKind.KindName, bool verified = true)
    {
        var subscription = "sub-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(decisionsActor)))[..12];
        if (Subscriptions.Find(subscription) is null)
            Subscriptions.Upsert(new Subscription
            {
                Id = subscription, DatasetActor = decisionsActor, Inbox = decisionsActor + "/inbox", Kind = kind, FollowActivityId = decisionsActor + "#follow",
                State = SubscriptionState.Accepted, RequestedBy = "root", Since = Clock.GetUtcNow(),
            });
        Replicas.ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = subscription, RecordId = id, ObjectUri = $"{decisionsActor}/records/{id}", Revision = Clock.GetUtcNow().UtcTicks, Data = decision,
            ReceivedAt = Clock.GetUtcNow(), ProofVerified = verified,
        });
    }

    public static JsonElement Doc(JsonNode node) => JsonSerializer.SerializeToElement(node);

    public void Dispose()
    {
        Database.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
