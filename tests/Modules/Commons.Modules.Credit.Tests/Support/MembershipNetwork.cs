using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Services.Membership;
using Commons.Modules.Credit.Views;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// Member nodes of group "sel" on their own real stores, before anyone joined: A coordinates (dataset "groups" holds
/// the group), each member's ledger is "ledger" at https://{x}.example/datasets/ledger. Views and follows between them
/// stand in for the federation's signed fetches and Follow/Accept: a follow is accepted when the followed ledger's
/// policy admits the follower's host (the platform's <see cref="FollowPolicy"/>), refused otherwise; a node marked
/// down answers nothing (<c>origin_unreachable</c>).
/// </summary>
public sealed class MembershipNetwork : IDisposable
{
    public const string GroupsA = "https://a.example/datasets/groups";
    public const string Terms = CreditPair.Terms;

    public LoopbackNetwork Network { get; } = new();
    public Dictionary<string, MemberNode> Nodes { get; } = [];
    public HashSet<string> Down { get; } = [];

    public MembershipNetwork()
    {
        foreach (var host in new[] { "a", "b", "c" }) Nodes[host] = new MemberNode(this, host);
        A.Node.CreateDataset("groups", GroupKind.KindName);
        A.Node.Records.Create(Admin, "groups", "sel", Doc(Terms));
    }

    /// <summary>A node the group does not list, outside <see cref="Nodes"/>.</summary>
    public MemberNode Outsider(string host)
    {
        var node = new MemberNode(this, host);
        Outsiders.Add(node);
        return node;
    }

    public MemberNode A => Nodes["a"];
    public MemberNode B => Nodes["b"];
    public MemberNode C => Nodes["c"];

    public List<MemberNode> Outsiders { get; } = [];

    public MemberNode NodeOf(string url) => Nodes.Values.Concat(Outsiders).FirstOrDefault(n => new Uri(url).Host == $"{n.Host}.example")
        ?? throw new OriginUnreachableException($"no node at {url}");

    /// <summary>The group's record on A, changed by <paramref name="change"/> (a plain record write, as the generic dataset API makes it).</summary>
    public void ChangeGroup(Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject> change)
    {
        var record = A.Node.RecordStore.Get(A.Node.DatasetStore.Find("groups")!.Key, "sel")!;
        var next = change(System.Text.Json.Nodes.JsonNode.Parse(record.Data.GetRawText())!.AsObject());
        A.Node.Records.Update(Admin, "groups", "sel", JsonSerializer.SerializeToElement(next), null, record.Revision);
    }

    public void Dispose()
    {
        foreach (var n in Nodes.Values.Concat(Outsiders)) n.Node.Dispose();
    }
}

/// <summary>One member node: its credit node, its follows, views and membership service as the host wires them.</summary>
public sealed class MemberNode
{
    public string Host { get; }
    public string Actor => $"https://{Host}.example/actor";
    public string LedgerActor => $"https://{Host}.example/datasets/ledger";
    public CreditNode Node { get; }
    public FakeFollows Follows { get; }
    public CreditMembership Membership { get; }
    public CreditGroups Groups { get; }

    public MemberNode(MembershipNetwork net, string host)
    {
        Host = host;
        Node = new CreditNode().OnNetwork(net.Network, Actor, LedgerActor);
        Follows = new FakeFollows(net, this);
        var views = new MemberViews(net, Actor, Node.Clock);
        Membership = new CreditMembership(Node.Ledgers!, Node.Credit!, Node.Datasets, views, Node.ModuleStore, Node.RecordStore, [Follows], Node.Clock);
        Groups = new CreditGroups(views, Node.Credit!, Membership);
    }

    public Dataset Ledger => Node.DatasetStore.Find("ledger")!;
    public MembershipState? State => Membership.List(Admin).SingleOrDefault();
}

/// <summary>Signed fetches of group and ledger views between the network's nodes, as the fetching node's actor.</summary>
public sealed class MemberViews(MembershipNetwork net, string fetcher, TimeProvider clock) : IRemoteDatasetViews
{
    public Task<JsonElement> FetchAsync(string datasetActor, string view, IReadOnlyDictionary<string, string> query, CancellationToken ct)
    {
        var node = net.NodeOf(datasetActor);
        if (net.Down.Contains(node.Host)) throw new OriginUnreachableException($"cannot reach {node.Host}.example");
        var slug = datasetActor.Split('/')[^1];
        IDatasetView shown = view switch
        {
            GroupTermsView.ViewName => new GroupTermsView(node.Node.RecordStore),
            MembershipsView.ViewName => new MembershipsView(node.Node.RecordStore),
            _ => throw new NotFoundException($"no view {view}"),
        };
        var dataset = node.Node.DatasetStore.Find(slug) ?? throw new NotFoundException($"no dataset {datasetActor}");
        var built = shown.Build(new DatasetViewRequest(dataset, view, fetcher, new Uri(fetcher).Authority, query, clock.GetUtcNow()))
            ?? throw new NotFoundException($"no view {view} for {fetcher}");
        return Task.FromResult(built);
    }
}

/// <summary>This node's follows of the other nodes' ledgers, decided at once by the followed ledger's policy.</summary>
public sealed class FakeFollows(MembershipNetwork net, MemberNode me) : IDatasetFollows
{
    public Dictionary<string, Subscription> Subscriptions { get; } = [];

    public string OwnDatasetActor(string slug) => $"https://{me.Host}.example/datasets/{slug}";

    public Task<string> ResolveAsync(string target, string field, CancellationToken ct) =>
        Task.FromResult(target.Contains('@') ? $"https://{target.Split('@')[^1]}/datasets/{target.Split('@')[0]}" : target);

    public Task<Subscription> FollowAsync(Caller caller, string datasetActor, CancellationToken ct)
    {
        Assert.True(caller.CanWrite);
        var owner = net.NodeOf(datasetActor);
        if (net.Down.Contains(owner.Host)) throw new OriginUnreachableException($"cannot reach {owner.Host}.example");
        var dataset = owner.Node.DatasetStore.Find(datasetActor.Split('/')[^1]) ?? throw ValidationException.For("target", $"cannot fetch {datasetActor}");
        var state = FollowPolicy.Decide(dataset, $"{me.Host}.example") == FollowDecision.Accept ? SubscriptionState.Accepted : SubscriptionState.Rejected;
        var s = new Subscription
        {
            Id = Guid.NewGuid().ToString("N"), DatasetActor = datasetActor, Inbox = datasetActor + "/inbox", FollowActivityId = Guid.NewGuid().ToString("N"),
            State = state, RequestedBy = caller.Username,
        };
        Subscriptions[datasetActor] = s;
        return Task.FromResult(s);
    }

    public bool Unfollow(Caller caller, string datasetActor) => Subscriptions.Remove(datasetActor);

    public Subscription? Find(string datasetActor) => Subscriptions.GetValueOrDefault(datasetActor);

    /// <summary>The ledgers followed and accepted, by host.</summary>
    public IReadOnlyList<string> Accepted => Subscriptions.Values.Where(s => s.State == SubscriptionState.Accepted)
        .Select(s => new Uri(s.DatasetActor).Host.Split('.')[0]).Order().ToList();
}
