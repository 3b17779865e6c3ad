using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// A steering committee of real node processes, driven through their HTTP API and CLI only: node 0 coordinates (the
/// committee, proposals and decisions datasets, shared <c>approval</c>); every node has the
/// committee module on; every other node follows the coordinator's proposals and decisions (the coordinator's steward
/// accepts each) and is a member with weight 1. The coordinator is no member here: a node's ballot is a request between
/// nodes, and the exchanges refuse a request to a dataset of the same node ("that dataset is on this node").
/// </summary>
public sealed class CommitteeNetwork : IAsyncDisposable
{
    public const string Committee = "committee", Proposals = "proposals", Decisions = "decisions";
    public static readonly TimeSpan Follows = TimeSpan.FromMinutes(4);

    public IReadOnlyList<ProcessNode> Nodes { get; }
    public ProcessNode Coordinator => Nodes[0];
    /// <summary>Each node's subscriptions to the coordinator's proposals and decisions (none for the coordinator).</summary>
    public Dictionary<int, (string Proposals, string Decisions)> Subscriptions { get; } = [];

    private CommitteeNetwork(IReadOnlyList<ProcessNode> nodes) => Nodes = nodes;

    public static string Actor(ProcessNode node) => $"{node.Url}/actor";

    public static async Task<CommitteeNetwork> StartAsync(int count)
    {
        // Three at a time: fifteen processes starting at once on a loaded 2-core machine outlast the 180 s a start may take.
        var nodes = await ProcessNetwork.StartAsync(count, new Dictionary<string, string> { ["COMMONS__ADMINSOCKET"] = "true" }, atOnce: 3);
        return await ProcessNetwork.OpenAsync(new CommitteeNetwork(nodes), network => network.OpenAsync());
    }

    private async Task OpenAsync()
    {
        await ProcessNetwork.EnableModuleAsync(Nodes, "committee");
        using (var admin = await Coordinator.AdminAsync())
        {
            foreach (var (slug, kind) in new[] { (Committee, "committee.committee"), (Proposals, "committee.proposals"), (Decisions, "committee.decisions") })
                await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
                {
                    ["slug"] = slug, ["title"] = new JsonObject { ["en"] = slug }, ["kind"] = kind, ["policy"] = "approval",
                })), 201);
            await Http.Expect(await admin.PostAsync($"/api/datasets/{Committee}/records", Http.Json(new JsonObject
            {
                ["id"] = "steering",
                ["data"] = new JsonObject
                {
                    ["name"] = new JsonObject { ["fr"] = "Comité de pilotage", ["en"] = "Steering committee" },
                    ["members"] = new JsonArray(Nodes.Skip(1).Select(n => (JsonNode)new JsonObject { ["actor"] = Actor(n), ["weight"] = 1 }).ToArray()),
                    ["proposals"] = Proposals, ["decisions"] = Decisions,
                },
            })), 201);
        }
        // Each member follows both datasets; the coordinator's steward accepts each request once it has arrived.
        await Task.WhenAll(Enumerable.Range(1, Nodes.Count - 1).Select(async i =>
        {
            var node = Nodes[i];
            using var admin = await node.AdminAsync();
            var ids = new List<string>();
            foreach (var slug in new[] { Proposals, Decisions })
            {
                // The first lookup between two fresh processes may outlast its 10 s on a loaded machine (validation_failed): ask again.
                HttpResponseMessage response = null!;
                await Wait.UntilAsync(async () => (response = await admin.PostAsJsonAsync("/api/subscriptions", new { target = Coordinator.Handle(slug) })).StatusCode
                    != System.Net.HttpStatusCode.BadRequest, $"node {i} to find the coordinator's {slug}", Follows);
                var id = (string)(await Http.Expect(response, 201))["id"]!;
                ids.Add(id);
                using var steward = await Coordinator.AdminAsync();
                await Wait.UntilAsync(async () => (await steward.PostAsJsonAsync($"/api/datasets/{slug}/followers/accept", new { actor = Actor(node) })).IsSuccessStatusCode,
                    $"node {i}'s follow of {slug} to reach the coordinator", Follows);
                await Wait.ForAsync(async () => (string?)(await Http.Expect(await admin.GetAsync($"/api/subscriptions/{id}"), 200))["state"],
                    state => state == "accepted", $"node {i} to follow {slug}", Follows);
            }
            lock (Subscriptions) Subscriptions[i] = (ids[0], ids[1]);
        }));
    }

    /// <summary>Puts a yes/no/abstain proposal to the vote, open now and closing after <paramref name="open"/>; its closing time.</summary>
    public async Task<DateTimeOffset> ProposeAsync(string id, TimeSpan open, bool hidden, decimal quorum = 0.5m, string rule = "simple")
    {
        var now = DateTimeOffset.UtcNow;
        var closes = now + open;
        using var admin = await Coordinator.AdminAsync();
        await Http.Expect(await admin.PostAsync($"/api/datasets/{Proposals}/records", Http.Json(new JsonObject
        {
            ["id"] = id,
            ["data"] = new JsonObject
            {
                ["title"] = new JsonObject { ["fr"] = $"Proposition {id}", ["nl"] = $"Voorstel {id}", ["en"] = $"Proposal {id}" },
                ["text"] = new JsonObject { ["en"] = "Shall we?" },
                ["opens"] = Time(now.AddMinutes(-1)), ["closes"] = Time(closes),
                ["quorum"] = quorum, ["rule"] = rule, ["hiddenResults"] = hidden,
            },
        })), 201);
        return DateTimeOffset.Parse(Time(closes), CultureInfo.InvariantCulture);
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Node <paramref name="i"/>'s administrator casts its organisation's ballot; waits for the coordinator's answer and returns the ballot as listed.</summary>
    public async Task<JsonObject> VoteAsync(int i, string proposal, string option)
    {
        using var admin = await Nodes[i].AdminAsync();
        var sent = await Http.Expect(await admin.PostAsync("/api/committee/votes", Http.Json(new JsonObject
        {
            ["target"] = Coordinator.Handle(Proposals), ["proposal"] = proposal, ["option"] = option,
        })), 202);
        var requestId = (string)sent["requestId"]!;
        return await Wait.ForAsync(async () => (await Http.Expect(await admin.GetAsync("/api/committee/votes"), 200))["items"]!.AsArray()
                .Select(b => b!.AsObject()).First(b => (string?)b["requestId"] == requestId),
            b => (string?)b["state"] != "pending", $"node {i}'s ballot to be answered", TimeSpan.FromMinutes(2));
    }

    /// <summary>The replica node <paramref name="i"/> holds of the coordinator's <paramref name="slug"/>: record id → entry.</summary>
    public async Task<Dictionary<string, JsonObject>> ReplicaAsync(int i, string slug)
    {
        var subscription = slug == Proposals ? Subscriptions[i].Proposals : Subscriptions[i].Decisions;
        using var admin = await Nodes[i].AdminAsync();
        var page = await Http.Expect(await admin.GetAsync($"/api/subscriptions/{subscription}/records?limit=500"), 200);
        return page["items"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => (string)r["id"]!);
    }

    /// <summary>Waits until node <paramref name="i"/>'s replica of <paramref name="slug"/> holds record <paramref name="id"/> with data <paramref name="accept"/> likes.</summary>
    public async Task<JsonObject> ReplicatedAsync(int i, string slug, string id, Func<JsonObject, bool> accept, string what) =>
        (await Wait.ForAsync(async () => (await ReplicaAsync(i, slug)).GetValueOrDefault(id),
            r => r?["data"] is JsonObject d && accept(d), $"node {i}'s replica of {id} in {slug}: {what}", TimeSpan.FromMinutes(3)))!["data"]!.AsObject();

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}
