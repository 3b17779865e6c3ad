using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>Two real nodes; B follows a public dataset of A and its replica follows every change of a shared record.</summary>
public sealed class PublicPolicyTests() : NodesTest(2)
{
    [Fact]
    public async Task Follow_is_accepted_and_creates_updates_deletes_reach_the_replica_without_excluded_fields()
    {
        var slug = await A.CreateDatasetAsync("public", excludedFields: ["email", "contact.phone"]);
        var sub = await B.FollowAsync(A.Handle(slug));
        var id = (string)sub["id"]!;
        Assert.Equal(A.DatasetActor(slug), (string)sub["datasetActor"]!);

        await Wait.ForAsync(() => B.SubscriptionStateAsync(id), s => s == "accepted", "B's subscription to be accepted");
        Assert.Equal("accepted", (await A.FollowersAsync(slug))[B.NodeActor]);

        // Create.
        await A.CreateRecordAsync(slug, "r1", Data("Bakery", "v1"));
        var replica = await Wait.ForAsync(() => B.ReplicaAsync(id), r => r.ContainsKey("r1"), "r1 to reach B");
        var r1 = replica["r1"];
        Assert.Equal(1, (long)r1["revision"]!);
        Assert.Equal("Bakery", (string)r1["data"]!["name"]!);
        Assert.Equal("v1", (string)r1["data"]!["note"]!);
        AssertNoExcludedFields(r1);

        // Update: the revision and the data change.
        await A.UpdateRecordAsync(slug, "r1", Data("Bakery", "v2"));
        r1 = (await Wait.ForAsync(() => B.ReplicaAsync(id), r => r.TryGetValue("r1", out var x) && (long)x["revision"]! == 2, "the update to reach B"))["r1"];
        Assert.Equal("v2", (string)r1["data"]!["note"]!);
        AssertNoExcludedFields(r1);

        // A second record, then the delete of the first.
        await A.CreateRecordAsync(slug, "r2", Data("Library", "x"));
        await A.DeleteRecordAsync(slug, "r1");
        replica = await Wait.ForAsync(() => B.ReplicaAsync(id), r => !r.ContainsKey("r1") && r.ContainsKey("r2"), "the delete of r1 and r2 to reach B");
        AssertNoExcludedFields(replica["r2"]);
        Assert.Equal(1, (long)(await B.SubscriptionAsync(id))["records"]!);
    }

    [Fact]
    public async Task Unshared_records_never_reach_the_follower_until_shared_and_go_when_unshared()
    {
        var slug = await A.CreateDatasetAsync("public");
        var id = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(id), s => s == "accepted", "B's subscription to be accepted");

        await A.CreateRecordAsync(slug, "secret", Data("Hidden", "internal"), shared: false);
        await A.UpdateRecordAsync(slug, "secret", Data("Hidden", "still internal"));
        // A marker record created after it: once the marker is there, the unshared record would have been too.
        await A.CreateRecordAsync(slug, "marker", Data("Marker", "m"));
        var replica = await Wait.ForAsync(() => B.ReplicaAsync(id), r => r.ContainsKey("marker"), "the marker to reach B");
        Assert.False(replica.ContainsKey("secret"), "an unshared record reached the follower");

        await A.UpdateRecordAsync(slug, "secret", shared: true);
        replica = await Wait.ForAsync(() => B.ReplicaAsync(id), r => r.ContainsKey("secret"), "the shared record to reach B");
        Assert.Equal("still internal", (string)replica["secret"]["data"]!["note"]!);

        await A.UpdateRecordAsync(slug, "secret", shared: false);
        replica = await Wait.ForAsync(() => B.ReplicaAsync(id), r => !r.ContainsKey("secret"), "the unshared record to leave B");
        Assert.True(replica.ContainsKey("marker"));
    }

    private static JsonObject Data(string name, string note) => new()
    {
        ["name"] = name,
        ["note"] = note,
        ["email"] = "private@example.org",
        ["contact"] = new JsonObject { ["phone"] = "+32 2 000 00 00", ["city"] = "Brussels" },
    };

    private static void AssertNoExcludedFields(JsonObject replicaEntry)
    {
        var data = replicaEntry["data"]!.AsObject();
        var text = data.ToJsonString();
        Assert.False(data.ContainsKey("email"), text);
        Assert.False(data["contact"]!.AsObject().ContainsKey("phone"), text);
        Assert.Equal("Brussels", (string)data["contact"]!["city"]!);
        Assert.DoesNotContain("private@example.org", text);
        Assert.DoesNotContain("+32 2", text);
    }
}
