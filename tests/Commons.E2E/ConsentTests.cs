using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// Three real nodes: A owns datasets under each policy, B and C follow them. Consent as the policy says: a steward
/// approves or refuses, the allow-list decides, a private dataset does not exist; a steward removes a follower; a
/// follower unfollows.
/// </summary>
public sealed class ConsentTests : IAsyncLifetime
{
    private TestNode _a = null!;
    private TestNode _b = null!;
    private TestNode _c = null!;

    public async Task InitializeAsync()
    {
        var nodes = await Task.WhenAll(TestNode.StartAsync(), TestNode.StartAsync(), TestNode.StartAsync());
        (_a, _b, _c) = (nodes[0], nodes[1], nodes[2]);
    }

    public async Task DisposeAsync()
    {
        await _c.DisposeAsync();
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Approval_request_is_pending_on_both_sides_until_a_steward_accepts_and_refused_follower_is_rejected()
    {
        var slug = await _a.CreateDatasetAsync("approval");
        var bSub = (string)(await _b.FollowAsync(_a.Handle(slug)))["id"]!;
        Assert.Equal("pending", await _b.SubscriptionStateAsync(bSub));

        var pending = await Wait.ForAsync(() => _a.FollowersAsync(slug, "pending"), f => f.ContainsKey(_b.NodeActor), "B's request to reach A");
        Assert.Equal("pending", pending[_b.NodeActor]);
        Assert.Empty(await _a.FollowersAsync(slug, "accepted"));

        // Still pending on B: nobody answered. A record created now is not delivered to a pending follower.
        await _a.CreateRecordAsync(slug, "before", new JsonObject { ["name"] = "created while pending" });
        Assert.Equal("pending", await _b.SubscriptionStateAsync(bSub));

        await Http.Expect(await _a.StewardAsync(slug, "accept", _b.NodeActor), 200);
        await Wait.ForAsync(() => _b.SubscriptionStateAsync(bSub), s => s == "accepted", "B's subscription to be accepted");
        Assert.Equal("accepted", (await _a.FollowersAsync(slug, "accepted"))[_b.NodeActor]);
        Assert.Empty(await _a.FollowersAsync(slug, "pending"));

        await _a.CreateRecordAsync(slug, "after", new JsonObject { ["name"] = "created once accepted" });
        var replica = await Wait.ForAsync(() => _b.ReplicaAsync(bSub), r => r.ContainsKey("after"), "a later record to reach B");
        Assert.Equal("created once accepted", (string)replica["after"]["data"]!["name"]!);

        // C asks too; the steward refuses.
        var cSub = (string)(await _c.FollowAsync(_a.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => _a.FollowersAsync(slug, "pending"), f => f.ContainsKey(_c.NodeActor), "C's request to reach A");
        await Http.Expect(await _a.StewardAsync(slug, "refuse", _c.NodeActor), 204);
        var refused = await Wait.ForAsync(() => _c.SubscriptionAsync(cSub), s => (string)s["state"]! == "rejected", "C's subscription to be rejected");
        Assert.False(string.IsNullOrWhiteSpace((string?)refused["reason"]));
        Assert.False((await _a.FollowersAsync(slug)).ContainsKey(_c.NodeActor));
        Assert.Empty(await _c.ReplicaAsync(cSub));
        // Refusing again: there is no pending request any more.
        await Http.Expect(await _a.StewardAsync(slug, "refuse", _c.NodeActor), 404);
    }

    [Fact]
    public async Task Peers_policy_accepts_a_node_on_the_allow_list_and_rejects_one_that_is_not()
    {
        var slug = await _a.CreateDatasetAsync("peers", allowedPeers: [_b.Authority]);
        var bSub = (string)(await _b.FollowAsync(_a.Handle(slug)))["id"]!;
        var cSub = (string)(await _c.FollowAsync(_a.Handle(slug)))["id"]!;

        await Wait.ForAsync(() => _b.SubscriptionStateAsync(bSub), s => s == "accepted", "B (allowed) to be accepted");
        await Wait.ForAsync(() => _c.SubscriptionStateAsync(cSub), s => s == "rejected", "C (not allowed) to be rejected");
        var followers = await _a.FollowersAsync(slug);
        Assert.Equal("accepted", followers[_b.NodeActor]);
        Assert.False(followers.ContainsKey(_c.NodeActor));

        await _a.CreateRecordAsync(slug, "p1", new JsonObject { ["name"] = "for peers" });
        await Wait.ForAsync(() => _b.ReplicaAsync(bSub), r => r.ContainsKey("p1"), "p1 to reach B");
        Assert.Empty(await _c.ReplicaAsync(cSub));
    }

    [Fact]
    public async Task Private_dataset_does_not_exist_for_peers()
    {
        var slug = await _a.CreateDatasetAsync("private");
        using var anonymous = _a.Anonymous();
        Assert.Equal(404, (int)(await anonymous.GetAsync($"/.well-known/webfinger?resource=acct:{_a.Handle(slug)}")).StatusCode);
        Assert.Equal(404, (int)(await anonymous.GetAsync($"/datasets/{slug}")).StatusCode);
        Assert.Equal(404, (int)(await anonymous.GetAsync($"/datasets/{slug}/outbox")).StatusCode);

        using var admin = await _b.AdminAsync();
        foreach (var target in new[] { _a.Handle(slug), _a.DatasetActor(slug) })
        {
            var response = await admin.PostAsync("/api/subscriptions", Http.Json(new JsonObject { ["target"] = target }));
            var problem = await Http.Expect(response, 400);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(target, problem.ToJsonString());
        }
        using var bAdmin = await _b.AdminAsync();
        var subscriptions = await Http.Expect(await bAdmin.GetAsync("/api/subscriptions"), 200);
        Assert.Empty(subscriptions["items"]!.AsArray());
    }

    [Fact]
    public async Task Steward_removes_a_follower_who_is_told_loses_the_replica_and_gets_nothing_more()
    {
        var slug = await _a.CreateDatasetAsync("public");
        var bSub = (string)(await _b.FollowAsync(_a.Handle(slug)))["id"]!;
        var cSub = (string)(await _c.FollowAsync(_a.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => _b.SubscriptionStateAsync(bSub), s => s == "accepted", "B to be accepted");
        await Wait.ForAsync(() => _c.SubscriptionStateAsync(cSub), s => s == "accepted", "C to be accepted");
        await _a.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => _b.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");

        await Http.Expect(await _a.StewardAsync(slug, "remove", _b.NodeActor), 204);
        var ended = await Wait.ForAsync(() => _b.SubscriptionAsync(bSub), s => (string)s["state"]! == "ended", "B's subscription to end");
        Assert.False(string.IsNullOrWhiteSpace((string?)ended["reason"]), ended.ToJsonString());
        Assert.Equal(0, (long)ended["records"]!);
        Assert.Empty(await _b.ReplicaAsync(bSub));
        Assert.False((await _a.FollowersAsync(slug)).ContainsKey(_b.NodeActor));

        // C, still a follower, is the witness: once r2 reached C it was fanned out, and B was not among the inboxes.
        await _a.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await Wait.ForAsync(() => _c.ReplicaAsync(cSub), r => r.ContainsKey("r2"), "r2 to reach C");
        await WaitDeliveriesDrained(_a);
        Assert.Empty(await _b.ReplicaAsync(bSub));
        Assert.Equal("ended", await _b.SubscriptionStateAsync(bSub));
        AssertNotDeliveredTo(_a, _b, "r2");
    }

    [Fact]
    public async Task Unfollow_removes_the_follower_on_the_owner_and_stops_delivery()
    {
        var slug = await _a.CreateDatasetAsync("public");
        var bSub = (string)(await _b.FollowAsync(_a.Handle(slug)))["id"]!;
        var cSub = (string)(await _c.FollowAsync(_a.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => _b.SubscriptionStateAsync(bSub), s => s == "accepted", "B to be accepted");
        await Wait.ForAsync(() => _c.SubscriptionStateAsync(cSub), s => s == "accepted", "C to be accepted");
        await _a.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => _b.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");

        using (var admin = await _b.AdminAsync())
        {
            await Http.Expect(await admin.DeleteAsync($"/api/subscriptions/{bSub}"), 204);
            await Http.Expect(await admin.GetAsync($"/api/subscriptions/{bSub}"), 404);
        }
        await Wait.ForAsync(() => _a.FollowersAsync(slug), f => !f.ContainsKey(_b.NodeActor), "A to forget B");
        Assert.True((await _a.FollowersAsync(slug)).ContainsKey(_c.NodeActor));

        await _a.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await Wait.ForAsync(() => _c.ReplicaAsync(cSub), r => r.ContainsKey("r2"), "r2 to reach C");
        await WaitDeliveriesDrained(_a);
        using var bAdmin = await _b.AdminAsync();
        Assert.Empty((await Http.Expect(await bAdmin.GetAsync("/api/subscriptions"), 200))["items"]!.AsArray());
        AssertNotDeliveredTo(_a, _b, "r2");
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
}
