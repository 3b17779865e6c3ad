using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// Three real nodes: A owns datasets under each policy, B and C follow them. Consent as the policy says: a steward
/// approves or refuses, the allow-list decides, a private dataset does not exist; a steward removes a follower; a
/// follower unfollows.
/// </summary>
public sealed class ConsentTests() : NodesTest(3)
{
    [Fact]
    public async Task Approval_request_is_pending_on_both_sides_until_a_steward_accepts_and_refused_follower_is_rejected()
    {
        var slug = await A.CreateDatasetAsync("approval");
        var bSub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        Assert.Equal("pending", await B.SubscriptionStateAsync(bSub));

        var pending = await Wait.ForAsync(() => A.FollowersAsync(slug, "pending"), f => f.ContainsKey(B.NodeActor), "B's request to reach A");
        Assert.Equal("pending", pending[B.NodeActor]);
        Assert.Empty(await A.FollowersAsync(slug, "accepted"));

        // Still pending on B: nobody answered. A record created now is not delivered to a pending follower.
        await A.CreateRecordAsync(slug, "before", new JsonObject { ["name"] = "created while pending" });
        Assert.Equal("pending", await B.SubscriptionStateAsync(bSub));

        await Http.Expect(await A.StewardAsync(slug, "accept", B.NodeActor), 200);
        await Wait.ForAsync(() => B.SubscriptionStateAsync(bSub), s => s == "accepted", "B's subscription to be accepted");
        Assert.Equal("accepted", (await A.FollowersAsync(slug, "accepted"))[B.NodeActor]);
        Assert.Empty(await A.FollowersAsync(slug, "pending"));

        await A.CreateRecordAsync(slug, "after", new JsonObject { ["name"] = "created once accepted" });
        var replica = await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("after"), "a later record to reach B");
        Assert.Equal("created once accepted", (string)replica["after"]["data"]!["name"]!);

        // C asks too; the steward refuses.
        var cSub = (string)(await C.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => A.FollowersAsync(slug, "pending"), f => f.ContainsKey(C.NodeActor), "C's request to reach A");
        await Http.Expect(await A.StewardAsync(slug, "refuse", C.NodeActor), 204);
        var refused = await Wait.ForAsync(() => C.SubscriptionAsync(cSub), s => (string)s["state"]! == "rejected", "C's subscription to be rejected");
        Assert.False(string.IsNullOrWhiteSpace((string?)refused["reason"]));
        Assert.False((await A.FollowersAsync(slug)).ContainsKey(C.NodeActor));
        Assert.Empty(await C.ReplicaAsync(cSub));
        // Refusing again: there is no pending request any more.
        await Http.Expect(await A.StewardAsync(slug, "refuse", C.NodeActor), 404);
    }

    [Fact]
    public async Task Peers_policy_accepts_a_node_on_the_allow_list_and_rejects_one_that_is_not()
    {
        var slug = await A.CreateDatasetAsync("peers", allowedPeers: [B.Authority]);
        var bSub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        var cSub = (string)(await C.FollowAsync(A.Handle(slug)))["id"]!;

        await Wait.ForAsync(() => B.SubscriptionStateAsync(bSub), s => s == "accepted", "B (allowed) to be accepted");
        await Wait.ForAsync(() => C.SubscriptionStateAsync(cSub), s => s == "rejected", "C (not allowed) to be rejected");
        var followers = await A.FollowersAsync(slug);
        Assert.Equal("accepted", followers[B.NodeActor]);
        Assert.False(followers.ContainsKey(C.NodeActor));

        await A.CreateRecordAsync(slug, "p1", new JsonObject { ["name"] = "for peers" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("p1"), "p1 to reach B");
        Assert.Empty(await C.ReplicaAsync(cSub));
    }

    [Fact]
    public async Task Private_dataset_does_not_exist_for_peers()
    {
        var slug = await A.CreateDatasetAsync("private");
        using var anonymous = A.Anonymous();
        Assert.Equal(404, (int)(await anonymous.GetAsync($"/.well-known/webfinger?resource=acct:{A.Handle(slug)}")).StatusCode);
        Assert.Equal(404, (int)(await anonymous.GetAsync($"/datasets/{slug}")).StatusCode);
        Assert.Equal(404, (int)(await anonymous.GetAsync($"/datasets/{slug}/outbox")).StatusCode);

        using var admin = await B.AdminAsync();
        foreach (var target in new[] { A.Handle(slug), A.DatasetActor(slug) })
        {
            var response = await admin.PostAsync("/api/subscriptions", Http.Json(new JsonObject { ["target"] = target }));
            var problem = await Http.Expect(response, 400);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(target, problem.ToJsonString());
        }
        using var bAdmin = await B.AdminAsync();
        var subscriptions = await Http.Expect(await bAdmin.GetAsync("/api/subscriptions"), 200);
        Assert.Empty(subscriptions["items"]!.AsArray());
    }

    [Fact]
    public async Task Steward_removes_a_follower_who_is_told_loses_the_replica_and_gets_nothing_more()
    {
        var (slug, bSub, cSub) = await PublicDatasetFollowedByBAndCAsync();

        await Http.Expect(await A.StewardAsync(slug, "remove", B.NodeActor), 204);
        var ended = await Wait.ForAsync(() => B.SubscriptionAsync(bSub), s => (string)s["state"]! == "ended", "B's subscription to end");
        Assert.False(string.IsNullOrWhiteSpace((string?)ended["reason"]), ended.ToJsonString());
        Assert.Equal(0, (long)ended["records"]!);
        Assert.Empty(await B.ReplicaAsync(bSub));
        Assert.False((await A.FollowersAsync(slug)).ContainsKey(B.NodeActor));

        // C, still a follower, is the witness: once r2 reached C it was fanned out, and B was not among the inboxes.
        await A.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r2"), "r2 to reach C");
        await WaitDeliveriesDrained(A);
        Assert.Empty(await B.ReplicaAsync(bSub));
        Assert.Equal("ended", await B.SubscriptionStateAsync(bSub));
        AssertNotDeliveredTo(A, B, "r2");
    }

    [Fact]
    public async Task Unfollow_removes_the_follower_on_the_owner_and_stops_delivery()
    {
        var (slug, bSub, cSub) = await PublicDatasetFollowedByBAndCAsync();

        using (var admin = await B.AdminAsync())
        {
            await Http.Expect(await admin.DeleteAsync($"/api/subscriptions/{bSub}"), 204);
            await Http.Expect(await admin.GetAsync($"/api/subscriptions/{bSub}"), 404);
        }
        await Wait.ForAsync(() => A.FollowersAsync(slug), f => !f.ContainsKey(B.NodeActor), "A to forget B");
        Assert.True((await A.FollowersAsync(slug)).ContainsKey(C.NodeActor));

        await A.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r2"), "r2 to reach C");
        await WaitDeliveriesDrained(A);
        using var bAdmin = await B.AdminAsync();
        Assert.Empty((await Http.Expect(await bAdmin.GetAsync("/api/subscriptions"), 200))["items"]!.AsArray());
        AssertNotDeliveredTo(A, B, "r2");
    }

    /// <summary>The create of <paramref name="recordId"/> reached other inboxes but was never sent to <paramref name="peer"/>.</summary>
    private static void AssertNotDeliveredTo(TestNode owner, TestNode peer, string recordId)
    {
        var creates = owner.Deliveries.All.Where(d => d.Type == "Create").ToList();
        Assert.NotEmpty(creates);
        var toPeer = owner.Deliveries.To(peer.Url).Where(d => d.Type is "Create" or "Update").ToList();
        // The only record B ever got from A is r1 (change 1).
        Assert.All(toPeer, d => Assert.EndsWith("/changes/1", d.ActivityId));
        Assert.Contains(owner.Deliveries.All, d => d.Type == "Create" && d.ActivityId!.EndsWith("/changes/2", StringComparison.Ordinal));
        _ = recordId;
    }

    /// <summary>Waits until A's delivery queue holds nothing live.</summary>
    private static Task WaitDeliveriesDrained(TestNode node) => Wait.UntilAsync(async () =>
    {
        using var admin = await node.AdminAsync();
        var live = await Http.Expect(await admin.GetAsync("/api/admin/deliveries"), 200);
        return live["items"]!.AsArray().Count == 0;
    }, "the delivery queue to drain");

    /// <summary>A public dataset of A that B and C follow (both accepted), with one record that reached B.</summary>
    private async Task<(string Slug, string BSub, string CSub)> PublicDatasetFollowedByBAndCAsync()
    {
        var slug = await A.CreateDatasetAsync("public");
        var bSub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        var cSub = (string)(await C.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(bSub), s => s == "accepted", "B to be accepted");
        await Wait.ForAsync(() => C.SubscriptionStateAsync(cSub), s => s == "accepted", "C to be accepted");
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");
        return (slug, bSub, cSub);
    }
}
