using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Replication;

namespace Commons.Federation.Tests.Replication;

/// <summary>The backfill feed: each record once at its latest change, and pages a follower can resume at any boundary.</summary>
public sealed class BackfillFeedTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;

    public BackfillFeedTests() => _dataset = _rig.Dataset("offers");

    public void Dispose() => _rig.Dispose();

    private static JsonElement Body(int n) => ReplicationRig.Data($$"""{"title":"Salle à prêter","n":{{n}}}""");

    private void Create(string id, int n = 0, bool shared = true) => _rig.Records.Create(ReplicationRig.Admin, "offers", id, Body(n), shared);
    private void Update(string id, int n) => _rig.Records.Update(ReplicationRig.Admin, "offers", id, Body(n), null, null);
    private void Share(string id, bool shared) => _rig.Records.Update(ReplicationRig.Admin, "offers", id, null, shared, null);
    private void Delete(string id) => _rig.Records.Delete(ReplicationRig.Admin, "offers", id, null);

    private static string RecordIdOf(JsonObject activity) => activity["object"]!["id"]!.GetValue<string>().Split("/records/")[1];

    /// <summary>Every page from <paramref name="after"/> to the end.</summary>
    private List<BackfillFeed.Page> Pages(long after, int limit)
    {
        var pages = new List<BackfillFeed.Page>();
        while (true)
        {
            var page = _rig.Backfill.Read(_dataset, after, limit);
            pages.Add(page);
            Assert.True(page.Last >= after);
            if (page.Next is not { } next) break;
            Assert.Equal(page.Last, next);
            after = next;
        }
        return pages;
    }

    [Fact]
    public void A_record_appears_once_at_its_latest_change_and_a_deleted_or_unshared_one_as_one_Delete()
    {
        Create("updated", 0);
        for (var n = 1; n <= 5; n++) Update("updated", n);
        Create("deleted");
        Update("deleted", 1);
        Delete("deleted");
        Create("unshared");
        Share("unshared", false);
        Create("hidden-never-shared", 0, shared: false);
        Update("hidden-never-shared", 1);
        Create("plain");

        var page = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        var byRecord = page.Items.GroupBy(RecordIdOf).ToDictionary(g => g.Key, g => g.ToList());

        Assert.Equal(["deleted", "plain", "unshared", "updated"], byRecord.Keys.Order());
        Assert.All(byRecord.Values, list => Assert.Single(list));
        var updated = byRecord["updated"][0];
        Assert.Equal("Update", updated["type"]!.GetValue<string>());
        Assert.Equal(6, updated["object"]![ActivityStreamsContext.Revision]!.GetValue<long>());
        Assert.Equal(5, updated["object"]![ActivityStreamsContext.Data]!["n"]!.GetValue<int>());
        Assert.Equal(_rig.Uris.Change("offers", 6), updated["id"]!.GetValue<string>());
        var deleted = byRecord["deleted"][0];
        Assert.Equal("Delete", deleted["type"]!.GetValue<string>());
        Assert.Equal(3, deleted["object"]![ActivityStreamsContext.Revision]!.GetValue<long>());
        Assert.Equal("Delete", byRecord["unshared"][0]["type"]!.GetValue<string>());
        Assert.Equal(2, byRecord["unshared"][0]["object"]![ActivityStreamsContext.Revision]!.GetValue<long>());
        Assert.DoesNotContain("hidden-never-shared", string.Concat(page.Items.Select(i => i.ToJsonString())));

        var lastSeq = _rig.Feed.LastSeq(_dataset.Key);
        Assert.Equal(lastSeq, page.Last);
        Assert.Equal(lastSeq, page.LastSeq);
        Assert.Null(page.Next);
        Assert.All(page.Items, i => Assert.NotNull(i["proof"]));
        Assert.All(page.Items, i => Assert.NotNull(i["object"]!["proof"]));
    }

    [Fact]
    public void Pages_give_every_record_exactly_once_and_chain_by_their_last_sequence_number()
    {
        var random = new Random(5);
        for (var i = 0; i < 300; i++) Create($"r{i:000}", i);
        for (var i = 0; i < 400; i++) Update($"r{random.Next(300):000}", 1000 + i);
        for (var i = 0; i < 300; i += 7) Delete($"r{i:000}");
        var lastSeq = _rig.Feed.LastSeq(_dataset.Key);

        foreach (var limit in new[] { 1, 37, 200, 1000, 5000 })
        {
            var pages = Pages(0, limit);
            var seen = pages.SelectMany(p => p.Items).Select(RecordIdOf).ToList();
            Assert.Equal(300, seen.Count);
            Assert.Equal(300, seen.Distinct().Count());
            Assert.Equal(lastSeq, pages[^1].Last);
            Assert.All(pages, p => Assert.Equal(lastSeq, p.LastSeq));
            Assert.Equal((int)Math.Ceiling(lastSeq / (double)Math.Min(limit, BackfillFeed.MaxPageSize)), pages.Count);
            // Each page covers exactly the changes (last of the previous page, its Last]: no gap, no overlap.
            var covered = 0L;
            foreach (var page in pages)
            {
                Assert.Equal(Math.Min(covered + Math.Min(limit, BackfillFeed.MaxPageSize), lastSeq), page.Last);
                covered = page.Last;
            }
        }

        // Past the end: an empty last page that says where it is.
        var end = _rig.Backfill.Read(_dataset, lastSeq, 100);
        Assert.Empty(end.Items);
        Assert.Equal(lastSeq, end.Last);
        Assert.Null(end.Next);
    }

    [Fact]
    public async Task A_follower_that_crashes_after_any_page_resumes_from_its_checkpoint_and_ends_equal()
    {
        var random = new Random(11);
        for (var i = 0; i < 120; i++) Create($"r{i:000}", i);
        for (var i = 0; i < 120; i++) Update($"r{random.Next(120):000}", i);
        const int limit = 25;

        foreach (var k in new[] { 0, 1, 3, 6, 9 })
        {
            var subscription = _rig.Subscribe("offers", id: $"crash-{k}", store: false);
            long checkpoint = 0;
            var appliedBeforeCrash = 0;
            for (var p = 0; p < k; p++)
            {
                var page = _rig.Backfill.Read(_dataset, checkpoint, limit);
                foreach (var item in page.Items) await Apply(subscription, item);
                appliedBeforeCrash += page.Items.Count;
                checkpoint = page.Last;
            }
            // The crash: half of the next page applied, the checkpoint not moved.
            var interrupted = _rig.Backfill.Read(_dataset, checkpoint, limit);
            foreach (var item in interrupted.Items.Take(interrupted.Items.Count / 2)) await Apply(subscription, item);

            // Meanwhile A goes on: records already sent are updated, deleted or unshared, new ones appear.
            for (var i = 0; i < 15; i++)
            {
                var id = $"r{random.Next(120):000}";
                if (_rig.RecordStore.Get(_dataset.Key, id) is { Deleted: false }) Update(id, 5000 + i);
            }
            var victim = $"r{random.Next(120):000}";
            if (_rig.RecordStore.Get(_dataset.Key, victim) is { Deleted: false, Shared: true }) Delete(victim);
            Create($"new-{k}", k);

            // Restart: from the checkpoint, never from zero.
            var resumed = Pages(checkpoint, limit);
            Assert.Equal(Math.Min(checkpoint + limit, resumed[0].LastSeq), resumed[0].Last);
            foreach (var item in resumed.SelectMany(p => p.Items)) await Apply(subscription, item);

            Assert.Equal(DatasetDigest.Of(_rig.RecordStore, _dataset), DatasetDigest.Of(_rig.Replicas.Revisions(subscription.Id)));
            if (k > 0) Assert.True(appliedBeforeCrash > 0);
        }
    }

    private async Task Apply(Core.Federation.Subscription subscription, JsonObject item)
    {
        var outcome = await _rig.Applier.ApplyAsync(subscription, ReplicationRig.Element(item), CancellationToken.None);
        Assert.True(outcome.StartsWith("applied", StringComparison.Ordinal) || outcome.StartsWith("ignored: revision", StringComparison.Ordinal), outcome);
    }
}
