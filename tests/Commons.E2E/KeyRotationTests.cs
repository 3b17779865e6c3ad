using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.E2E.Support;
using Commons.Federation.Actors;
using Commons.Federation.Http;
using Commons.Federation.Replication;

namespace Commons.E2E;

/// <summary>
/// <c>keys rotate</c>: the follower learns the new key and keeps receiving; the old Ed25519 key stays published under
/// its own id, so proofs made before the rotation (in the replica, in a delivery still queued) keep verifying.
/// </summary>
public sealed class KeyRotationTests() : NodesTest(2)
{
    [Fact]
    public async Task After_a_rotation_the_follower_verifies_the_new_key_and_the_old_proof_key_stays_published()
    {
        var slug = await A.CreateDatasetAsync("public");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B's subscription to be accepted");
        await A.CreateRecordAsync(slug, "before", new JsonObject { ["name"] = "Before the rotation" });
        await Wait.ForAsync(() => B.ReplicaAsync(sub), r => r.ContainsKey("before"), "the first record to reach B");

        using var anonymous = A.Anonymous();
        var actorBefore = JsonNode.Parse(await anonymous.GetStringAsync($"/datasets/{slug}"))!;
        var (generation, notified) = A.Service<KeyRotation>().Rotate(slug);
        Assert.Equal(2, generation);
        Assert.Equal(1, notified);

        var actorAfter = JsonNode.Parse(await anonymous.GetStringAsync($"/datasets/{slug}"))!;
        Assert.NotEqual((string)actorBefore["publicKey"]!["publicKeyPem"]!, (string)actorAfter["publicKey"]!["publicKeyPem"]!);
        var methods = actorAfter["assertionMethod"]!.AsArray().Select(m => (string)m!["publicKeyMultibase"]!).ToList();
        Assert.Contains((string)actorBefore["assertionMethod"]![0]!["publicKeyMultibase"]!, methods);
        Assert.Equal(2, methods.Count);

        // B cached the old key; the first activity signed with the new one makes it fetch the actor again.
        await A.CreateRecordAsync(slug, "after", new JsonObject { ["name"] = "After the rotation" });
        await Wait.ForAsync(() => B.ReplicaAsync(sub), r => r.ContainsKey("after"), "a record signed with the new key to reach B");
        Assert.Contains(A.Deliveries.All, d => d.Type == "Update" && d.Status == 202);

        // The replica holds a record signed by each key; its export checks offline, each proof by the key it names.
        using var admin = await B.AdminAsync();
        var export = await Http.Expect(await admin.GetAsync($"/api/subscriptions/{sub}/export"), 200);
        var check = ReplicaExport.Check(JsonDocument.Parse(export.ToJsonString()).RootElement);
        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.Equal(2, check.Verified);
        var proofKeys = export["records"]!.AsArray().ToDictionary(r => ((string)r!["id"]!).Split('/')[^1], r => (string)r!["proof"]!["verificationMethod"]!);
        Assert.Equal(A.DatasetActor(slug) + "#ed25519-key", proofKeys["before"]);
        Assert.Equal(A.DatasetActor(slug) + "#ed25519-key-2", proofKeys["after"]);
    }

    [Fact]
    public async Task A_delivery_signed_before_a_rotation_and_sent_after_it_is_applied_by_the_follower()
    {
        var slug = await A.CreateDatasetAsync("public");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        // Backfilled already, so only the live delivery can bring the record (a backfill page is signed when served).
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (string?)s["state"] == "accepted" && (bool)s["backfillDone"]!, "B's backfill to be done");

        await B.StopAsync();
        await A.CreateRecordAsync(slug, "queued", new JsonObject { ["name"] = "Signed before the rotation" });
        await Wait.UntilAsync(() => Task.FromResult(A.Deliveries.To(B.Url).Any(d => d.Type == "Create" && d.Status is null)), "A to fail the delivery to B");
        A.Service<KeyRotation>().Rotate(slug);

        await B.RestartAsync();
        var replica = await Wait.ForAsync(() => B.ReplicaAsync(sub), r => r.ContainsKey("queued"), "the delivery queued before the rotation to be applied",
            TimeSpan.FromSeconds(90));
        Assert.True((bool)replica["queued"]["proofVerified"]!);
    }

    [Fact]
    public async Task After_the_node_rotates_its_keys_its_signed_fetches_use_the_new_key_and_verify()
    {
        var slug = await A.CreateDatasetAsync("approval");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => A.FollowersAsync(slug, "pending"), f => f.ContainsKey(B.NodeActor), "B's request to reach A");
        await Http.Expect(await A.StewardAsync(slug, "accept", B.NodeActor), 200);
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B's subscription to be accepted");

        var (generation, notified) = B.Service<KeyRotation>().Rotate(ActorKeyring.NodeActor);
        Assert.Equal(2, generation);
        Assert.Equal(1, notified);
        var signer = B.Service<SigningIdentity>();
        Assert.Equal(B.NodeActor + "#main-key-2", signer.KeyId);
        // A learns the new key (from B's Update, or by fetching B's actor once its copy may be refreshed) and lets B read.
        var outbox = new Uri(A.DatasetActor(slug) + "/outbox");
        await Wait.ForAsync(async () => (int)(await B.Service<SignedHttpClient>().GetAsync(outbox, signer)).StatusCode, status => status == 200,
            "a GET signed with B's new key to be let through", TimeSpan.FromSeconds(90));
    }
}
