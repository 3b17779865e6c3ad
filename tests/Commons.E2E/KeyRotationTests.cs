using System.Text.Json.Nodes;
using Commons.E2E.Support;
using Commons.Federation.Actors;

namespace Commons.E2E;

/// <summary><c>keys rotate</c>: the follower learns the new key and keeps receiving; the actor publishes the old Ed25519 key for a while.</summary>
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
    }
}
