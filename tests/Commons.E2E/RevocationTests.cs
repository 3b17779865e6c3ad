using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// Three real nodes: A revokes its followers — a steward removes one, or a policy change no longer allows them — and
/// exactly those followers delete their replica and send back a signed confirmation that A records. Unfollowing deletes
/// the follower's replica too, unless <c>Federation:KeepReplicaOnUnfollow</c>.
/// </summary>
public sealed class RevocationTests() : NodesTest(3)
{
    [Fact]
    public async Task Steward_removes_B_whose_replica_goes_and_A_shows_the_confirmation()
    {
        var slug = await A.CreateDatasetAsync("public");
        var bSub = await FollowAcceptedAsync(B, slug);
        var cSub = await FollowAcceptedAsync(C, slug);
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");

        await Http.Expect(await A.StewardAsync(slug, "remove", B.NodeActor), 204);

        var ended = await Wait.ForAsync(() => B.SubscriptionAsync(bSub), s => (string)s["state"]! == "ended", "B's subscription to end");
        Assert.Equal("removed by the owner", (string?)ended["reason"]);
        Assert.Empty(await B.ReplicaAsync(bSub));
        var revocation = await ConfirmedRevocationAsync(slug, B);
        Assert.Equal(RevocationReasons.RemovedByASteward, (string)revocation["reason"]!);
        Assert.Equal(B.Authority, (string)revocation["host"]!);
        Assert.StartsWith(B.NodeActor + "#purges/", (string)revocation["confirmation"]!);
        Assert.True(DateTimeOffset.Parse((string)revocation["purgedAt"]!) >= DateTimeOffset.Parse((string)revocation["revokedAt"]!).AddSeconds(-1));
        Assert.Single(await A.RevocationsAsync(slug));

        // What crossed the wire: one confirmation from B's node actor, answering A's Reject.
        var remove = Assert.Single(B.Deliveries.To(A.Url), d => d.Type == "Remove" && d.Status is >= 200 and < 300);
        Assert.Equal((string)revocation["confirmation"]!, remove.ActivityId);
        Assert.Equal("accepted", await C.SubscriptionStateAsync(cSub));
    }

    [Fact]
    public async Task Public_to_approval_revokes_the_auto_accepted_follower_and_keeps_the_one_a_steward_approved()
    {
        // C asks while the dataset needs approval, and a steward approves it; then the dataset goes public and B is
        // accepted by the policy alone; back to approval, only B lost its consent.
        var slug = await A.CreateDatasetAsync("approval");
        var cSub = (string)(await C.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => A.FollowersAsync(slug, "pending"), f => f.ContainsKey(C.NodeActor), "C's request to reach A");
        Assert.Equal("pending", await C.SubscriptionStateAsync(cSub));
        await Http.Expect(await A.StewardAsync(slug, "accept", C.NodeActor), 200);
        await Wait.ForAsync(() => C.SubscriptionStateAsync(cSub), s => s == "accepted", "C to be accepted");

        await A.SetPolicyAsync(slug, "public");
        var bSub = await FollowAcceptedAsync(B, slug);
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r1"), "r1 to reach C");
        Assert.Empty(await A.RevocationsAsync(slug));

        await A.SetPolicyAsync(slug, "approval");

        var ended = await Wait.ForAsync(() => B.SubscriptionAsync(bSub), s => (string)s["state"]! == "ended", "B's subscription to end");
        Assert.Equal("removed by the owner", (string?)ended["reason"]);
        Assert.Empty(await B.ReplicaAsync(bSub));
        var revocation = await ConfirmedRevocationAsync(slug, B);
        Assert.Equal(RevocationReasons.PolicyChangedToApproval, (string)revocation["reason"]!);

        Assert.Single(await A.RevocationsAsync(slug));
        var followers = await A.FollowersAsync(slug);
        Assert.Equal(new Dictionary<string, string> { [C.NodeActor] = "accepted" }, followers);
        Assert.Equal("accepted", await C.SubscriptionStateAsync(cSub));
        Assert.True((await C.ReplicaAsync(cSub)).ContainsKey("r1"));
        await A.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r2"), "r2 to reach C, still a follower");
        Assert.Empty(await B.ReplicaAsync(bSub));
        Assert.DoesNotContain(C.Deliveries.To(A.Url), d => d.Type == "Remove");
    }

    [Fact]
    public async Task Taking_B_off_the_allow_list_revokes_B_and_keeps_C()
    {
        var slug = await A.CreateDatasetAsync("peers", allowedPeers: [B.Authority, C.Authority]);
        var bSub = await FollowAcceptedAsync(B, slug);
        var cSub = await FollowAcceptedAsync(C, slug);
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r1"), "r1 to reach C");

        await A.SetPolicyAsync(slug, "peers", [C.Authority]);

        await Wait.ForAsync(() => B.SubscriptionStateAsync(bSub), s => s == "ended", "B's subscription to end");
        Assert.Empty(await B.ReplicaAsync(bSub));
        var revocation = await ConfirmedRevocationAsync(slug, B);
        Assert.Equal(RevocationReasons.NotOnTheAllowList, (string)revocation["reason"]!);
        Assert.Single(await A.RevocationsAsync(slug));
        Assert.Equal(new Dictionary<string, string> { [C.NodeActor] = "accepted" }, await A.FollowersAsync(slug));
        await A.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r2"), "r2 to reach C, still allowed");
        Assert.Equal("accepted", await C.SubscriptionStateAsync(cSub));
    }

    [Fact]
    public async Task Making_the_dataset_private_revokes_every_follower_and_each_confirms()
    {
        var slug = await A.CreateDatasetAsync("public");
        var bSub = await FollowAcceptedAsync(B, slug);
        var cSub = await FollowAcceptedAsync(C, slug);
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");
        await Wait.ForAsync(() => C.ReplicaAsync(cSub), r => r.ContainsKey("r1"), "r1 to reach C");

        await A.SetPolicyAsync(slug, "private");

        foreach (var (node, sub) in new[] { (B, bSub), (C, cSub) })
        {
            var ended = await Wait.ForAsync(() => node.SubscriptionAsync(sub), s => (string)s["state"]! == "ended", $"{node.Authority}'s subscription to end");
            Assert.Equal("removed by the owner", (string?)ended["reason"]);
            Assert.Empty(await node.ReplicaAsync(sub));
            var revocation = await ConfirmedRevocationAsync(slug, node);
            Assert.Equal(RevocationReasons.DatasetBecamePrivate, (string)revocation["reason"]!);
        }
        Assert.Equal(2, (await A.RevocationsAsync(slug)).Count);
        Assert.Empty(await A.FollowersAsync(slug));
    }

    [Fact]
    public async Task A_follower_down_when_the_dataset_became_private_still_verifies_the_Reject_and_confirms()
    {
        var slug = await A.CreateDatasetAsync("public");
        var bSub = await FollowAcceptedAsync(B, slug);
        await B.StopAsync();
        await A.SetPolicyAsync(slug, "private");

        // Nobody else sees the private dataset's actor any more.
        using (var anonymous = A.Anonymous())
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await anonymous.GetAsync($"/datasets/{slug}")).StatusCode);

        // B restarts with no cached key: it fetches the actor (a signed GET a revoked follower may still make), verifies the Reject, purges, confirms.
        await B.RestartAsync();
        var ended = await Wait.ForAsync(() => B.SubscriptionAsync(bSub), s => (string)s["state"]! == "ended", "B's subscription to end");
        Assert.Equal("removed by the owner", (string?)ended["reason"]);
        await ConfirmedRevocationAsync(slug, B);

        // Every revocation is confirmed.
        Assert.DoesNotContain(await A.RevocationsAsync(slug), r => r["purgedAt"] is null);
    }

    [Fact]
    public async Task B_unfollows_its_replica_is_deleted_and_A_forgets_B_without_a_revocation()
    {
        var slug = await A.CreateDatasetAsync("public");
        var bSub = await FollowAcceptedAsync(B, slug);
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => B.ReplicaAsync(bSub), r => r.ContainsKey("r1"), "r1 to reach B");

        using (var admin = await B.AdminAsync())
            await Http.Expect(await admin.DeleteAsync($"/api/subscriptions/{bSub}"), 204);

        Assert.Equal(0, B.Service<IReplicaStore>().Count(bSub));
        Assert.Null(B.Service<IReplicaStore>().Get(bSub, "r1"));
        await Wait.ForAsync(() => A.FollowersAsync(slug), f => !f.ContainsKey(B.NodeActor), "A to forget B");
        Assert.Empty(await A.RevocationsAsync(slug));
    }

    [Fact]
    public async Task With_KeepReplicaOnUnfollow_the_replica_stays_under_the_ended_subscription()
    {
        await using var keeper = await TestNode.StartAsync(new Dictionary<string, string> { ["Federation:KeepReplicaOnUnfollow"] = "true" });
        var slug = await A.CreateDatasetAsync("public");
        var sub = await FollowAcceptedAsync(keeper, slug);
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await Wait.ForAsync(() => keeper.ReplicaAsync(sub), r => r.ContainsKey("r1"), "r1 to reach the keeper");

        using (var admin = await keeper.AdminAsync())
            await Http.Expect(await admin.DeleteAsync($"/api/subscriptions/{sub}"), 204);

        await Wait.ForAsync(() => A.FollowersAsync(slug), f => !f.ContainsKey(keeper.NodeActor), "A to forget the keeper");
        var ended = await keeper.SubscriptionAsync(sub);
        Assert.Equal("ended", (string)ended["state"]!);
        Assert.Equal("unfollowed", (string?)ended["reason"]);
        var replica = await keeper.ReplicaAsync(sub);
        Assert.Equal("one", (string)replica["r1"]["data"]!["name"]!);
        Assert.Empty(await A.RevocationsAsync(slug));
    }

    private async Task<string> FollowAcceptedAsync(TestNode follower, string slug)
    {
        var sub = (string)(await follower.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => follower.SubscriptionStateAsync(sub), s => s == "accepted", $"{follower.Authority} to be accepted");
        return sub;
    }

    /// <summary>A's revocation of <paramref name="follower"/>'s follow of <paramref name="slug"/>, once the follower confirmed its purge.</summary>
    private async Task<JsonObject> ConfirmedRevocationAsync(string slug, TestNode follower)
    {
        var revocations = await Wait.ForAsync(() => A.RevocationsAsync(slug),
            rs => rs.Any(r => (string)r["actor"]! == follower.NodeActor && r["purgedAt"] is not null),
            $"A to record {follower.Authority}'s confirmation of the purge");
        return revocations.Single(r => (string)r["actor"]! == follower.NodeActor);
    }
}
