using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.E2E.Support;
using Commons.Federation.Http;
using Commons.Federation.Replication;

namespace Commons.E2E;

/// <summary>
/// A real node's outbox answers each follower the backfill batch version it names: v1 (signed activities, two proofs) to a
/// follower of the previous release, whose Accept names only that; v2 (the same record objects alone, byte for byte the
/// ones the activities embed, one proof each) to a follower of this release; the public JSON page to anyone else.
/// </summary>
public sealed class BackfillBatchVersionTests() : NodesTest(1)
{
    /// <summary>What BackfillClient sent as Accept before v2 existed.</summary>
    private const string PreviousReleaseAccept = BackfillBatch.MediaType + ", " + SignedHttpClient.ActivityAccept;

    [Fact]
    public async Task Backfill_outbox_answers_the_batch_version_the_follower_asks_for()
    {
        var slug = await A.CreateDatasetAsync("public");
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one" });
        await A.CreateRecordAsync(slug, "r2", new JsonObject { ["name"] = "two" });
        await A.UpdateRecordAsync(slug, "r1", new JsonObject { ["name"] = "one, again" });
        await A.DeleteRecordAsync(slug, "r2");
        using var http = A.Anonymous();
        async Task<(string? Type, byte[] Body)> PageAsync(string accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/datasets/{slug}/outbox?page=0&limit=100");
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
        }

        var v1 = await PageAsync(PreviousReleaseAccept);
        Assert.Equal(BackfillBatch.MediaType, v1.Type);
        var activities = BackfillBatch.Decode(v1.Body).Items;
        Assert.Equal(["Update", "Delete"], activities.Select(a => a.GetProperty("type").GetString()));
        Assert.All(activities, a => Assert.True(a.TryGetProperty("proof", out _) && a.GetProperty("object").TryGetProperty("proof", out _)));

        var v2 = await PageAsync(BackfillBatch.Accept);
        Assert.Equal(BackfillBatch.RecordObjectsMediaType, v2.Type);
        var objects = BackfillBatch.Decode(v2.Body).Items;
        Assert.Equal(["Note", "Tombstone"], objects.Select(o => o.GetProperty("type").GetString()));
        Assert.Equal(activities.Count, objects.Count);
        for (var i = 0; i < objects.Count; i++)
            Assert.True(JsonElement.DeepEquals(activities[i].GetProperty("object"), objects[i]), $"item {i}: {objects[i].GetRawText()}");

        var json = await PageAsync("application/activity+json");
        Assert.Equal("application/activity+json", json.Type);
        Assert.Equal("OrderedCollectionPage", JsonNode.Parse(json.Body)!["type"]!.GetValue<string>());
    }
}
