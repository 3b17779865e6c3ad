using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// The employers' group across real node processes: G coordinates; members M1, M2, M3 each run their own node, follow
/// the group and send their hours for three months through the member API (M3 sends nothing for February). G closes
/// the months; each member fetches its own statement, which checks against G's published key; the members' totals and
/// G's summary reconcile to the cent with the workers' costs; Debian's xmlsec1, with G's key pinned, agrees.
/// </summary>
public sealed class EmployersGroupTests : IAsyncLifetime
{
    private static readonly string[] Months = ["2026-01", "2026-02", "2026-03"];
    private const decimal Costs = 3250.40m + 1700.00m;
    private ProcessNode _g = null!;
    private ProcessNode[] _members = [];

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ProcessNode.StartAsync()));
        (_g, _members) = (started[0], started[1..]);
        foreach (var node in started)
        {
            using var admin = await node.AdminAsync();
            await Http.Expect(await admin.PutAsJsonAsync("/api/admin/modules/employers", new { enabled = true }), 200);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _members.Append(_g)) await node.DisposeAsync();
    }

    private string Actor(int i) => $"{_members[i].Url}/actor";

    private async Task SetUpGroupAsync()
    {
        using var g = await _g.AdminAsync();
        var peers = new JsonArray(_members.Select(m => (JsonNode)m.Authority).ToArray());
        foreach (var (slug, kind) in new[] { ("group", "employers.group"), ("workers", "employers.workers"), ("assignments", "employers.assignments"), ("hours", "employers.hours") })
            await Http.Expect(await g.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = slug, ["title"] = new JsonObject { ["en"] = slug }, ["kind"] = kind, ["policy"] = "peers", ["allowedPeers"] = peers.DeepClone(),
            })), 201);
        async Task Record(string slug, string? id, string json)
        {
            var body = new JsonObject { ["data"] = JsonNode.Parse(json) };
            if (id is not null) body["id"] = id;
            await Http.Expect(await g.PostAsync($"/api/datasets/{slug}/records", Http.Json(body)), 201);
        }
        await Record("group", "settings", $$"""
            {"name":"Groupement Solidaire","recognition":"GE-BXL-2026-017","allocationRule":"pro_rata_hours","fallbackRule":"planned_share",
             "members":[{"actor":"{{Actor(0)}}","name":"Asbl Alpha"},{"actor":"{{Actor(1)}}","name":"Vzw Beta"},{"actor":"{{Actor(2)}}","name":"Coop Gamma"}]}
            """);
        await Record("workers", "anne", """{"name":"Anne Dupont","role":"Comptable","contractHoursPerWeek":38,"monthlyCost":"3250.40"}""");
        await Record("workers", "bram", """{"name":"Bram Peeters","role":"Animateur","contractHoursPerWeek":19,"monthlyCost":"1700.00","startDate":"2025-09-01"}""");
        foreach (var (worker, member, share) in new[] { ("anne", 0, 50), ("anne", 1, 30), ("anne", 2, 20), ("bram", 1, 60), ("bram", 2, 40) })
            await Record("assignments", null, $$"""{"worker":"{{worker}}","member":"{{Actor(member)}}","plannedShare":{{share}}}""");
    }

    private static async Task<string> FollowAsync(ProcessNode member, string handle)
    {
        using var admin = await member.AdminAsync();
        var id = (string)(await Http.Expect(await admin.PostAsJsonAsync("/api/subscriptions", new { target = handle }), 201))["id"]!;
        await Wait.ForAsync(async () => (string?)(await Http.Expect(await admin.GetAsync($"/api/subscriptions/{id}"), 200))["state"],
            s => s == "accepted", $"{member.Authority}'s subscription to the group accepted");
        return id;
    }

    private static async Task SendHoursAsync(ProcessNode member, string subscription, string worker, string month, string hours)
    {
        using var admin = await member.AdminAsync();
        var sent = await Http.Expect(await admin.PostAsJsonAsync($"/api/employers/memberships/{subscription}/hours", new { worker, month, hours }), 202);
        var answer = await Wait.ForAsync(async () => await Http.Expect(await admin.GetAsync($"/api/employers/memberships/{subscription}/hours/{(string)sent["ref"]!}"), 200),
            a => (string?)a["state"] != "pending", $"the group's answer to {member.Authority}'s hours");
        Assert.True((string?)answer["state"] == "accepted", answer.ToJsonString());
    }

    [Fact]
    public async Task Three_members_send_hours_from_their_nodes_and_their_checked_statements_reconcile_to_the_cent()
    {
        await SetUpGroupAsync();
        var subscriptions = new string[3];
        for (var i = 0; i < 3; i++) subscriptions[i] = await FollowAsync(_members[i], _g.Handle("group"));

        var hours = new (int Member, string Worker, string Month, string Hours)[]
        {
            (0, "anne", "2026-01", "80"), (1, "anne", "2026-01", "50"), (2, "anne", "2026-01", "30"), (1, "bram", "2026-01", "40"), (2, "bram", "2026-01", "42.5"),
            (0, "anne", "2026-02", "70.25"), (1, "anne", "2026-02", "55"), (1, "bram", "2026-02", "60"),
            (0, "anne", "2026-03", "81"), (1, "anne", "2026-03", "49.5"), (2, "anne", "2026-03", "33.33"), (1, "bram", "2026-03", "39"), (2, "bram", "2026-03", "41"),
        };
        foreach (var h in hours) await SendHoursAsync(_members[h.Member], subscriptions[h.Member], h.Worker, h.Month, h.Hours);

        using (var g = await _g.AdminAsync())
            foreach (var month in Months) await Http.Expect(await g.PostAsync($"/api/employers/months/{month}/close", null), 200);

        using var anonymous = _g.Anonymous();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd("application/activity+json");
        var groupKey = (string)JsonNode.Parse(await anonymous.GetStringAsync("/actor"))!["publicKey"]!["publicKeyPem"]!;
        foreach (var month in Months)
        {
            var totals = 0m;
            decimal? summaryTotal = null;
            for (var i = 0; i < 3; i++)
            {
                using var admin = await _members[i].AdminAsync();
                var statement = await Http.Expect(await admin.GetAsync($"/api/employers/memberships/{subscriptions[i]}/statements/{month}"), 200);
                Assert.True((bool?)statement["valid"] == true && (string?)statement["code"] == "statement_valid", statement.ToJsonString());
                totals += (decimal)statement["total"]!;
                var xml = await (await admin.GetAsync($"/api/employers/memberships/{subscriptions[i]}/statements/{month}.xml")).Content.ReadAsStringAsync();
                Assert.Contains(Actor(i), xml);
                Assert.All(Enumerable.Range(0, 3).Where(j => j != i), j => Assert.DoesNotContain(Actor(j), xml));
                var (exit, output) = Xmlsec1(xml, groupKey);
                Assert.True(exit == 0, output);
                Assert.NotEqual(0, Xmlsec1(xml.Replace("<total>", "<total>1"), groupKey).ExitCode);
                // Served only when it checks against G's published key.
                using var response = await admin.GetAsync($"/api/employers/memberships/{subscriptions[i]}/summaries/{month}.xml");
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                var summaryXml = await response.Content.ReadAsStringAsync();
                var at = summaryXml.IndexOf("<total>", StringComparison.Ordinal) + "<total>".Length;
                summaryTotal = decimal.Parse(summaryXml[at..summaryXml.IndexOf("</total>", at, StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            }
            Assert.Equal(Costs, totals);
            Assert.Equal(Costs, summaryTotal);
        }
    }

    /// <summary>Debian's xmlsec1 with the group node's key pinned (KeyInfo may only name a key); absent, the test fails.</summary>
    private static (int ExitCode, string Output) Xmlsec1(string xml, string publicKeyPem)
    {
        var folder = Path.Combine(Path.GetTempPath(), "commons-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "statement.xml");
            var key = Path.Combine(folder, "group.pem");
            File.WriteAllText(file, xml);
            File.WriteAllText(key, publicKeyPem);
            var start = new ProcessStartInfo("xmlsec1") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--verify", "--enabled-key-data", "key-name", "--pubkey-pem", key, file }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(); throw new TimeoutException("xmlsec1 did not answer within 60 s"); }
            return (process.ExitCode, stdout + stderr.Result);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
