using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>What one transfer of a run became, as the test's API calls saw it (<c>cut</c>: a node stopped under the call).</summary>
public sealed record TransferOutcome(string Kind, int From, int To, string Amount, string Answer, string? Code, string? Transaction);

/// <summary>
/// An exchange group of real node processes, driven only through their HTTP API and CLI: node 0 coordinates the group
/// (unit ŧ with 2 decimals, limits −100…+100); each node has the credit module on and has joined the group by its
/// handle through <c>POST /api/credit/groups/join</c>, which created its ledger, shared it with the other members
/// (peers) and follows theirs.
/// </summary>
public sealed class CreditNetwork : IAsyncDisposable
{
    public const string Ledger = "ledger";
    public const string Groups = "groups";
    public const string Group = "g1";
    public const decimal Lowest = -100m, Highest = 100m;
    private static readonly TimeSpan BillDeadline = TimeSpan.FromMinutes(3);

    public IReadOnlyList<ProcessNode> Nodes { get; }

    /// <summary>The group's terms as the coordinating node's record holds them.</summary>
    public JsonObject Terms { get; }

    private CreditNetwork(IReadOnlyList<ProcessNode> nodes)
    {
        Nodes = nodes;
        Terms = new JsonObject
        {
            ["unit"] = new JsonObject { ["name"] = new JsonObject { ["fr"] = "Grain", ["nl"] = "Graan", ["en"] = "Grain" }, ["symbol"] = "ŧ", ["precision"] = 2 },
            ["members"] = new JsonArray(nodes.Select(n => (JsonNode)new JsonObject { ["actor"] = Actor(n), ["ledger"] = n.DatasetActor(Ledger) }).ToArray()),
            ["lowest"] = "-100", ["highest"] = "100", ["euroValue"] = "1",
        };
    }

    public static string Actor(ProcessNode node) => $"{node.Url}/actor";

    /// <summary>Starts <paramref name="count"/> nodes at once (the CLI reaches each through its admin socket) and opens the group.</summary>
    public static async Task<CreditNetwork> StartAsync(int count)
    {
        var nodes = await ProcessNetwork.StartAsync(count, new Dictionary<string, string> { ["COMMONS__ADMINSOCKET"] = "true" }, atOnce: count);
        return await ProcessNetwork.OpenAsync(new CreditNetwork(nodes), network => network.OpenAsync());
    }

    private async Task OpenAsync()
    {
        await ProcessNetwork.EnableModuleAsync(Nodes, "credit");
        var coordinator = Nodes[0];
        using (var admin = await coordinator.AdminAsync())
        {
            await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = Groups, ["title"] = new JsonObject { ["en"] = "Exchange groups" }, ["kind"] = "credit.group",
            })), 201);
            await Http.Expect(await admin.PostAsync($"/api/datasets/{Groups}/records", Http.Json(new JsonObject { ["id"] = Group, ["data"] = Terms.DeepClone() })), 201);
        }
        // Each node joins by the group dataset's handle, as an administrator would: the join creates the ledger, shares
        // it `peers` with the other members and follows theirs (the group audit reads their views, which a ledger
        // shared `peers` serves to accepted followers only).
        for (var i = 0; i < Nodes.Count; i++)
        {
            using var admin = await Nodes[i].AdminAsync();
            // The first signed fetches between two fresh processes (the handle's WebFinger, the actor, the view) may outlast
            // their 10 s on a loaded machine (400 at the address, or 502): join again.
            HttpResponseMessage response = null!;
            await Wait.UntilAsync(async () => (response = await admin.PostAsync("/api/credit/groups/join", Http.Json(new JsonObject { ["address"] = coordinator.Handle(Groups) })))
                    .StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.BadRequest),
                $"node {i} to reach the coordinating node", TimeSpan.FromMinutes(2));
            await Http.Expect(response, 201);
            var joined = await BalanceAsync(i);
            Assert.Equal((Actor(Nodes[i]), "0", "-100", "100"), ((string?)joined["account"], (string?)joined["balance"], (string?)joined["lowest"], (string?)joined["highest"]));
        }
        // A node that joined before the others could not follow their ledgers yet; the membership pass (every minute)
        // follows them. Asked now on every node, until every follow is accepted.
        await Task.WhenAll(Nodes.Select(async node =>
        {
            using var admin = await node.AdminAsync();
            await Wait.ForAsync(async () =>
                {
                    var groups = await Http.Expect(await admin.PostAsync("/api/credit/groups/refresh", null), 200);
                    return groups["items"]!.AsArray().Single()!["following"]!.AsArray().Select(f => (string?)f!["state"]).ToList();
                },
                states => states.Count == Nodes.Count - 1 && states.All(s => s == "accepted"), $"{node.Authority} to follow every other member's ledger", TimeSpan.FromMinutes(2));
        }));
    }

    /// <summary>A member of <paramref name="from"/> pays <paramref name="to"/> through the API.</summary>
    public async Task<TransferOutcome> PayAsync(int from, int to, string amount, string memo)
    {
        try
        {
            using var admin = await Nodes[from].AdminAsync();
            var response = await admin.PostAsync($"/api/credit/ledgers/{Ledger}/pay", Http.Json(new JsonObject { ["payee"] = Actor(Nodes[to]), ["amount"] = amount, ["memo"] = memo }));
            var body = await BodyAsync(response);
            return response.StatusCode == HttpStatusCode.Created
                ? new TransferOutcome("pay", from, to, amount, (string)body["state"]!, (string?)body["reason"], (string?)body["id"])
                : new TransferOutcome("pay", from, to, amount, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), (string?)body["code"], null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new TransferOutcome("pay", from, to, amount, "cut", null, null);
        }
    }

    /// <summary>
    /// A member of <paramref name="payee"/> bills <paramref name="payer"/>; a member of the payer then accepts it (or
    /// refuses it) through the payer's API once the bill has arrived there.
    /// </summary>
    public async Task<TransferOutcome> BillAsync(int payee, int payer, string amount, string memo, bool accept)
    {
        string requestId, transaction;
        try
        {
            using var admin = await Nodes[payee].AdminAsync();
            var response = await admin.PostAsync($"/api/credit/ledgers/{Ledger}/bill", Http.Json(new JsonObject { ["payer"] = Actor(Nodes[payer]), ["amount"] = amount, ["memo"] = memo }));
            var body = await BodyAsync(response);
            if (response.StatusCode != HttpStatusCode.Created)
                return new TransferOutcome("bill", payer, payee, amount, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), (string?)body["code"], null);
            (requestId, transaction) = ((string)body["requestId"]!, (string)body["id"]!);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new TransferOutcome("bill", payer, payee, amount, "cut", null, null);
        }
        var (status, code) = await AnswerBillAsync(payer, requestId, accept);
        return new TransferOutcome("bill", payer, payee, amount, status, code, transaction);
    }

    /// <summary>Answers a bill on the payer's node, waiting while it has not arrived (404) or the node is down.</summary>
    public async Task<(string Status, string? Code)> AnswerBillAsync(int payer, string requestId, bool accept)
    {
        var end = DateTime.UtcNow + BillDeadline;
        while (true)
        {
            try
            {
                using var admin = await Nodes[payer].AdminAsync();
                var response = await admin.PostAsync($"/api/credit/bills/{(accept ? "accept" : "refuse")}", Http.Json(new JsonObject { ["requestId"] = requestId, ["detail"] = "not ours" }));
                if (response.StatusCode != HttpStatusCode.NotFound)
                    return (((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), (string?)(await BodyAsync(response))["code"]);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > end) throw new TimeoutException($"bill {requestId} never reached node {payer}");
            await Task.Delay(100);
        }
    }

    /// <summary>The account's standing; reading it settles what was answered meanwhile.</summary>
    public async Task<JsonObject> BalanceAsync(int node)
    {
        using var admin = await Nodes[node].AdminAsync();
        return await Http.Expect(await admin.GetAsync($"/api/credit/ledgers/{Ledger}/balance"), 200);
    }

    /// <summary>Every transaction the node's ledger holds, as its records' data.</summary>
    public async Task<List<JsonObject>> TransactionsAsync(int node)
    {
        using var admin = await Nodes[node].AdminAsync();
        var all = new List<JsonObject>();
        string? next = null;
        do
        {
            var page = await Http.Expect(await admin.GetAsync($"/api/datasets/{Ledger}/records?limit=500" + (next is null ? "" : $"&cursor={Uri.EscapeDataString(next)}")), 200);
            all.AddRange(page["items"]!.AsArray().Select(r => r!["data"]!.AsObject()));
            next = (string?)page["next"];
        } while (next is not null);
        return all;
    }

    /// <summary>The bills still waiting on the node for a member's answer (a run cut while answering leaves some).</summary>
    public async Task<List<string>> PendingBillsAsync(int node)
    {
        using var admin = await Nodes[node].AdminAsync();
        var page = await Http.Expect(await admin.GetAsync("/api/exchanges?direction=incoming&state=pending&limit=200"), 200);
        return page["items"]!.AsArray().Where(e => (string?)e!["type"] == "credit.bill").Select(e => (string)e!["requestId"]!).ToList();
    }

    /// <summary>Runs <c>commons-node ARGS</c> against the running node (through its admin socket); its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> CliAsync(ProcessNode node, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = node.DataDirectory };
        foreach (var arg in args.Prepend(Path.Combine(AppContext.BaseDirectory, "commons-node.dll"))) start.ArgumentList.Add(arg);
        start.Environment["COMMONS__DATADIRECTORY"] = node.DataDirectory;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await error);
    }

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 && JsonNode.Parse(text) is JsonObject o ? o : new JsonObject();
    }

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}
