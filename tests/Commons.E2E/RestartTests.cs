using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>A follower that is down while the owner changes things gets every change once it is back (durable queue, retries).</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private TestNode _a = null!;
    private TestNode _b = null!;

    public async Task InitializeAsync()
    {
        var nodes = await Task.WhenAll(TestNode.StartAsync(), TestNode.StartAsync());
        (_a, _b) = (nodes[0], nodes[1]);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Changes_made_while_the_follower_is_down_reach_it_after_its_restart()
    {
        var slug = await _a.CreateDatasetAsync("public");
        var sub = (string)(await _b.FollowAsync(_a.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => _b.SubscriptionStateAsync(sub), s => s == "accepted", "B to be accepted");
        await _a.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "first" });
        await _a.CreateRecordAsync(slug, "gone", new JsonObject { ["name"] = "to be deleted" });
        await Wait.ForAsync(() => _b.ReplicaAsync(sub), r => r.ContainsKey("r1") && r.ContainsKey("gone"), "r1 and 'gone' to reach B");

        await _b.StopAsync();
        await _a.UpdateRecordAsync(slug, "r1", new JsonObject { ["name"] = "first, updated" });
        await _a.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "while B was down" });
        await _a.DeleteRecordAsync(slug, "gone");
        // A tried and failed (B is down): the deliveries wait in the queue.
        await Wait.UntilAsync(() => Task.FromResult(_a.Deliveries.To(_b.Url).Any(d => d.Status is null)), "A to fail a delivery to B");
        using (var admin = await _a.AdminAsync())
        {
            var waiting = await Http.Expect(await admin.GetAsync("/api/admin/deliveries"), 200);
            Assert.NotEmpty(waiting["items"]!.AsArray());
        }

        await _b.RestartAsync();
        var replica = await Wait.ForAsync(() => _b.ReplicaAsync(sub),
            r => r.ContainsKey("r2") && !r.ContainsKey("gone") && r.TryGetValue("r1", out var r1) && (long)r1["revision"]! == 2,
            "the changes made while B was down to reach it");
        Assert.Equal("first, updated", (string)replica["r1"]["data"]!["name"]!);
        Assert.Equal("while B was down", (string)replica["r2"]["data"]!["name"]!);
        Assert.Equal("accepted", await _b.SubscriptionStateAsync(sub));
    }
}
