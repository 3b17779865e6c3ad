using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>A node with one blocked domain in its configuration.</summary>
public sealed class ConfiguredBlockNode : NodeFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Federation:BlockedDomains:0", "configured.example")];
}

/// <summary>GET/PUT /api/admin/federation and the dead-letter operations: administrators only, problem+json on bad input.</summary>
public sealed class AdminApiTests(ConfiguredBlockNode node) : IClassFixture<ConfiguredBlockNode>
{
    [Fact]
    public async Task The_rules_show_the_configuration_and_a_put_replaces_the_runtime_part()
    {
        using var admin = await node.AdminAsync();
        var initial = await admin.GetJson("/api/admin/federation");
        Assert.Equal("open", (string?)initial["mode"]);
        Assert.Equal("configuration", (string?)initial["modeSource"]);
        var configured = Assert.Single(initial["blockedDomains"]!.AsArray());
        Assert.Equal(("configured.example", "configuration"), ((string?)configured!["domain"], (string?)configured["source"]));

        var put = await NodeFactory.Expect(await admin.Send("PUT", "/api/admin/federation",
            """{ "mode": "allowList", "blockedDomains": ["*.Bücher.example", "configured.example"], "allowedDomains": ["friends.example"] }"""), 200);

        Assert.Equal(("allowList", "runtime"), ((string?)put["mode"], (string?)put["modeSource"]));
        var blocked = put["blockedDomains"]!.AsArray().Select(e => ((string?)e!["domain"], (string?)e["display"], (string?)e["source"])).ToList();
        Assert.Equal([("configured.example", "configured.example", "configuration"), ("xn--bcher-kva.example", "bücher.example", "runtime")], blocked);
        Assert.Equal("friends.example", (string?)put["allowedDomains"]![0]!["domain"]);
        Assert.Equal(put.ToJsonString(), (await admin.GetJson("/api/admin/federation")).ToJsonString());

        // Back to the configuration: no mode, no runtime entries; the configured block stays.
        var reset = await NodeFactory.Expect(await admin.Send("PUT", "/api/admin/federation", """{ "mode": null }"""), 200);
        Assert.Equal(("open", "configuration"), ((string?)reset["mode"], (string?)reset["modeSource"]));
        Assert.Single(reset["blockedDomains"]!.AsArray());
        Assert.Empty(reset["allowedDomains"]!.AsArray());
    }

    [Theory]
    [InlineData("""{ "blockedDomains": ["ok.example", "not a domain"] }""", "blockedDomains[1]")]
    [InlineData("""{ "allowedDomains": [""] }""", "allowedDomains[0]")]
    [InlineData("""{ "mode": "everyone" }""", "$.mode")]
    [InlineData("""{ "blocked": [] }""", "$.blocked")]
    public async Task Bad_rules_are_a_problem_document_and_nothing_changes(string json, string path)
    {
        using var admin = await node.AdminAsync();
        var before = (await admin.GetJson("/api/admin/federation")).ToJsonString();

        await NodeFactory.ExpectValidation(await admin.Send("PUT", "/api/admin/federation", json), path);

        Assert.Equal(before, (await admin.GetJson("/api/admin/federation")).ToJsonString());
    }

    [Fact]
    public async Task Members_and_tokens_without_the_admin_scope_are_refused()
    {
        var member = await node.CreateMemberAsync();
        using var client = node.Client(await node.AccessTokenAsync(member, NodeFactory.MemberPassword));
        await NodeFactory.ExpectProblem(await client.GetAsync("/api/admin/federation"), 403);
        await NodeFactory.ExpectProblem(await client.Send("PUT", "/api/admin/federation", """{ "blockedDomains": ["member.example"] }"""), 403);
        await NodeFactory.ExpectProblem(await client.PostAsync("/api/admin/deliveries/retry-dead", null), 403);
        await NodeFactory.ExpectProblem(await client.DeleteAsync("/api/admin/deliveries/anything"), 403);

        var (_, readWrite) = await node.CreatePatAsync(await node.AccessTokenAsync("admin", NodeFactory.AdminPassword), ["read", "write"]);
        using var pat = node.Client(readWrite);
        await NodeFactory.ExpectProblem(await pat.GetAsync("/api/admin/federation"), 403);

        using var admin = await node.AdminAsync();
        Assert.DoesNotContain("member.example", (await admin.GetJson("/api/admin/federation")).ToJsonString());
    }

    [Fact]
    public async Task Dead_letters_are_discarded_or_retried_all_through_the_api()
    {
        var queue = node.Service<IDeliveryQueue>();
        DeliveryItem Dead(string id) => new()
        {
            Id = id, Inbox = "https://gone.invalid/inbox", Sender = "_node", ActivityJson = "{}", ActivityType = "Create",
            CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow, Dead = true, Attempts = 3, LastError = "HTTP 403",
        };
        var (a, b, c) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        queue.Enqueue([Dead(a), Dead(b), Dead(c) with { Dead = false, NextAttemptAt = DateTimeOffset.UtcNow.AddDays(1) }]);
        using var admin = await node.AdminAsync();

        await NodeFactory.Expect(await admin.DeleteAsync($"/api/admin/deliveries/{a}"), 204);
        await NodeFactory.ExpectProblem(await admin.DeleteAsync($"/api/admin/deliveries/{a}"), 404);
        await NodeFactory.ExpectProblem(await admin.DeleteAsync($"/api/admin/deliveries/{c}"), 404); // live: never discarded
        Assert.Null(queue.Find(a));
        Assert.NotNull(queue.Find(c));

        var retried = await NodeFactory.Expect(await admin.PostAsync("/api/admin/deliveries/retry-dead", null), 200);
        Assert.True((int)retried["retried"]! >= 1);
        Assert.False(queue.Find(b)!.Dead);
        queue.Complete(b);
        queue.Complete(c);
    }
}
