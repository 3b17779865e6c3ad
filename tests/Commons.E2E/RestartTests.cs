using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>A follower that is down while the owner changes things gets every change once it is back (durable queue, retries).</summary>
public sealed class RestartTests() : NodesTest(2)
{
    [Fact]
    public async Task Changes_made_while_the_follower_is_down_reach_it_after_its_restart()
    {
        var slug = await A.CreateDatasetAsync("public");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B to be accepted");
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "first" });
        await A.CreateRecordAsync(slug, "gone", new JsonObject { ["name"] = "to be deleted" });
        await Wait.ForAsync(() => B.ReplicaAsync(sub), r => r.ContainsKey("r1") && r.ContainsKey("gone"), "r1 and 'gone' to reach B");

        await B.StopAsync();
        await A.UpdateRecordAsync(slug, "r1", new JsonObject { ["name"] = "first, updated" });
        await A.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "while B was down" });
        await A.DeleteRecordAsync(slug, "gone");
        // A tried and failed (B is down): the deliveries wait in the queue.
        await Wait.UntilAsync(() => Task.FromResult(A.Deliveries.To(B.Url).Any(d => d.Status is null)), "A to fail a delivery to B");
        using (var admin = await A.AdminAsync())
        {
            var waiting = await Http.Expect(await admin.GetAsync("/api/admin/deliveries"), 200);
            Assert.NotEmpty(waiting["items"]!.AsArray());
        }

        await B.RestartAsync();
        var replica = await Wait.ForAsync(() => B.ReplicaAsync(sub),
            r => r.ContainsKey("r2") && !r.ContainsKey("gone") && r.TryGetValue("r1", out var r1) && (long)r1["revision"]! == 2,
            "the changes made while B was down to reach it");
        Assert.Equal("first, updated", (string)replica["r1"]["data"]!["name"]!);
        Assert.Equal("while B was down", (string)replica["r2"]["data"]!["name"]!);
        Assert.Equal("accepted", await B.SubscriptionStateAsync(sub));
    }
}
