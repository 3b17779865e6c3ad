using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Employers.Statements;
using Commons.Modules.Employers.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Employers.Tests.Support.WholeNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// The member's side across real nodes in the process (real HTTP, signatures, gateway and views): G coordinates the
/// group; B is a member organisation on its own node; Z is a node G lets read its group dataset but which is not a
/// member (it follows the group dataset too). B follows the group, sends hours through the gateway and sees each answer with its code; G closes the month;
/// B fetches its own statement and checks it against the RSA key G's actor publishes. Z sees nothing of it.
/// </summary>
public sealed class MemberSideTests : IAsyncLifetime
{
    private const string Month = "2026-03";
    private const string Elsewhere = "https://c.example/actor";
    private WholeNode _g = null!, _b = null!, _z = null!;

    public async Task InitializeAsync()
    {
        (_g, _b, _z) = (await StartAsync(), await StartAsync(), await StartAsync());
        await _g.DatasetAsync("group", "employers.group", _b.Authority, _z.Authority);
        await _g.DatasetAsync("workers", "employers.workers");
        await _g.DatasetAsync("assignments", "employers.assignments");
        await _g.DatasetAsync("hours", "employers.hours", _b.Authority);
        await _g.RecordAsync("group", "settings", $$"""
            {"name":"Groupement Solidaire","recognition":"GE-BXL-2026-017","allocationRule":"pro_rata_hours","fallbackRule":"planned_share",
             "members":[{"actor":"{{_b.NodeActor}}","name":"Vzw Beta"},{"actor":"{{Elsewhere}}","name":"Coop Gamma"}]}
            """);
        await _g.RecordAsync("workers", "anne", """{"name":"Anne Dupont","role":"Comptable","contractHoursPerWeek":38,"monthlyCost":"3250.40"}""");
        await _g.RecordAsync("workers", "bram", """{"name":"Bram Peeters","role":"Animateur","contractHoursPerWeek":19,"monthlyCost":"1700.00"}""");
        await _g.RecordAsync("assignments", null, $$"""{"worker":"anne","member":"{{_b.NodeActor}}","plannedShare":30}""");
        await _g.RecordAsync("assignments", null, $$"""{"worker":"anne","member":"{{Elsewhere}}","plannedShare":70}""");
        await _g.RecordAsync("assignments", null, $$"""{"worker":"bram","member":"{{Elsewhere}}","plannedShare":100}""");
        // C keeps no node here: the coordinator enters its hours on the group node.
        await _g.RecordAsync("hours", null, $$"""{"worker":"anne","member":"{{Elsewhere}}","month":"{{Month}}","hours":"40"}""");
    }

    public async Task DisposeAsync()
    {
        await _g.DisposeAsync();
        await _b.DisposeAsync();
        await _z.DisposeAsync();
    }

    private static async Task<JsonObject> SendAndWait(HttpClient member, string subscription, string worker, string hours)
    {
        var sent = await Expect(await member.PostAsJsonAsync($"/api/employers/memberships/{subscription}/hours", new { worker, month = Month, hours }), 202);
        Assert.Equal("pending", (string?)sent["state"]);
        var reference = (string)sent["ref"]!;
        JsonObject answer = [];
        await Until(async () =>
        {
            answer = await Expect(await member.GetAsync($"/api/employers/memberships/{subscription}/hours/{reference}"), 200);
            return (string?)answer["state"] != "pending";
        }, $"the group's answer to {worker} {hours}");
        return answer;
    }

    [Fact]
    public async Task A_member_sends_hours_sees_each_answer_and_checks_its_own_statement_against_the_group_nodes_key()
    {
        var subscription = await _b.FollowAsync(_g.Handle("group"));
        using var b = await _b.AdminAsync();
        var groups = (await b.GetFromJsonAsync<JsonArray>("/api/employers/memberships"))!;
        Assert.Equal(subscription, (string?)Assert.Single(groups)!["subscription"]);

        // What G tells B: only B's own assignments, where hours go, who signs.
        var membership = await Expect(await b.GetAsync($"/api/employers/memberships/{subscription}"), 200);
        Assert.Equal(("Groupement Solidaire", "Vzw Beta", true), ((string?)membership["group"], (string?)membership["memberName"], (bool?)membership["fresh"]));
        Assert.Equal(_g.DatasetActor("hours"), (string?)membership["hoursActor"]);
        Assert.Equal(_g.NodeActor, (string?)membership["signer"]);
        var worker = Assert.Single(membership["workers"]!.AsArray())!;
        Assert.Equal(("anne", 30m), ((string?)worker["id"], (decimal)worker["plannedShare"]!));
        Assert.DoesNotContain("c.example", membership.ToJsonString());

        var accepted = await SendAndWait(b, subscription, "anne", "60");
        Assert.Equal(("accepted", null), ((string?)accepted["state"], (string?)accepted["code"]));
        Assert.Equal(("refused", "worker_not_assigned"), await State(SendAndWait(b, subscription, "bram", "10")));
        Assert.Equal(("refused", "hours_over_contract"), await State(SendAndWait(b, subscription, "anne", "150")));
        await Expect(await b.PostAsJsonAsync($"/api/employers/memberships/{subscription}/hours", new { worker = "anne", month = "2026-13", hours = "1" }), 400);
        await Expect(await b.PostAsJsonAsync($"/api/employers/memberships/{subscription}/hours", new { worker = "anne", month = Month, hours = "1.234" }), 400);

        // Before the month is closed there is no statement.
        Assert.Equal("no_statement", (string?)(await Expect(await b.GetAsync($"/api/employers/memberships/{subscription}/statements/{Month}"), 404))["code"]);
        using (var g = await _g.AdminAsync()) await Expect(await g.PostAsync($"/api/employers/months/{Month}/close", null), 200);
        Assert.Equal(("refused", "month_closed"), await State(SendAndWait(b, subscription, "anne", "61")));
        var sentList = (await b.GetFromJsonAsync<JsonArray>($"/api/employers/memberships/{subscription}/hours?month={Month}"))!;
        Assert.Equal(4, sentList.Count);

        // B's statement: 60 of 100 hours of 3 250.40 €, checked against the key G's actor publishes.
        var statement = await Expect(await b.GetAsync($"/api/employers/memberships/{subscription}/statements/{Month}"), 200);
        Assert.Equal((true, "statement_valid", 1950.24m), ((bool?)statement["valid"], (string?)statement["code"], (decimal?)statement["total"]));
        Assert.Equal(await GroupKeyFingerprint(), (string?)statement["keyFingerprint"]);
        var xml = await (await b.GetAsync($"/api/employers/memberships/{subscription}/statements/{Month}.xml")).Content.ReadAsStringAsync();
        Assert.True(StatementSignature.Verify(xml).Valid);
        Assert.Contains(_b.NodeActor, xml);
        Assert.DoesNotContain("c.example", xml);
        Assert.DoesNotContain("Coop Gamma", xml);
        var summary = await (await b.GetAsync($"/api/employers/memberships/{subscription}/summaries/{Month}.xml")).Content.ReadAsStringAsync();
        Assert.Equal(3250.40m + 1700.00m, StatementXml.TotalOf(summary));

        // G stops: B still shows what G said last, and its checked statement.
        await _g.StopAsync();
        Assert.False((bool?)(await Expect(await b.GetAsync($"/api/employers/memberships/{subscription}"), 200))["fresh"]);
        Assert.Equal(1950.24m, (decimal?)(await Expect(await b.GetAsync($"/api/employers/memberships/{subscription}/statements/{Month}"), 200))["total"]);
        Assert.Equal("origin_unreachable", (string?)(await Expect(await b.GetAsync($"/api/employers/memberships/{subscription}/statements/2026-04"), 502))["code"]);
    }

    [Fact]
    public async Task A_follower_of_the_group_dataset_that_is_not_a_member_gets_no_statement_summary_nor_membership()
    {
        using (var g = await _g.AdminAsync()) await Expect(await g.PostAsync($"/api/employers/months/{Month}/close", null), 200);
        // Both follow the group dataset (the view is read by accepted followers); only B is a member.
        await _z.FollowAsync(_g.Handle("group"));
        await _b.FollowAsync(_g.Handle("group"));
        var views = _z.Services.GetRequiredService<IRemoteDatasetViews>();
        foreach (var view in new[] { "statement", "summary", "membership" })
        {
            var refused = await Assert.ThrowsAsync<NotFoundException>(() =>
                views.FetchAsync(_g.DatasetActor("group"), view, new Dictionary<string, string> { ["month"] = Month }, CancellationToken.None));
            Assert.Equal("not_found", refused.Code);
        }
        // B, a member, does get them through the same views.
        var mine = await _b.Services.GetRequiredService<IRemoteDatasetViews>()
            .FetchAsync(_g.DatasetActor("group"), "statement", new Dictionary<string, string> { ["month"] = Month }, CancellationToken.None);
        Assert.True(StatementSignature.Verify(mine.GetProperty("xml").GetString()!).Valid);
    }

    private static async Task<(string?, string?)> State(Task<JsonObject> answer)
    {
        var a = await answer;
        return ((string?)a["state"], (string?)a["code"]);
    }

    private async Task<string> GroupKeyFingerprint()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/activity+json");
        var actor = JsonNode.Parse(await http.GetStringAsync(_g.NodeActor))!;
        using var rsa = RSA.Create();
        rsa.ImportFromPem((string)actor["publicKey"]!["publicKeyPem"]!);
        return StatementSignature.Fingerprint(rsa);
    }
}
