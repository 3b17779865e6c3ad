using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Replication;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// Order and duplicates do not matter: the same 500 changes, signed as A signs them, delivered in order, then shuffled
/// with duplicates (several seeds), leave the same replica — and the replica's digest is A's digest of its shared state.
/// </summary>
public sealed class ShuffledDeliveryTests : IDisposable
{
    private readonly ReplicationRig _rig = new();

    public void Dispose() => _rig.Dispose();

    /// <summary>500 writes on ~60 records: creates, updates, deletes, re-creates after a delete, unshare and re-share.</summary>
    private (Dataset Dataset, List<string> Activities, List<string> RecordIds) History(int writes = 500)
    {
        var dataset = _rig.Dataset("offers");
        var random = new Random(20260301);
        var ids = Enumerable.Range(0, 60).Select(i => $"r{i:00}").ToList();
        var activities = new List<string>();
        for (var n = 0; n < writes; n++)
        {
            _rig.Clock.Advance(TimeSpan.FromSeconds(1));
            var id = ids[random.Next(ids.Count)];
            var current = _rig.RecordStore.Get(dataset.Key, id);
            var body = ReplicationRig.Data($$"""{"title":"Salle à prêter — {{id}}","n":{{n}},"tags":["vélo","{{random.Next(100)}}"]}""");
            var roll = random.Next(100);
            var (record, change) = current is null or { Deleted: true }
                ? _rig.Records.Create(ReplicationRig.Admin, "offers", id, body)
                : roll < 65 ? _rig.Records.Update(ReplicationRig.Admin, "offers", id, body, null, null)
                : roll < 82 ? _rig.Records.Delete(ReplicationRig.Admin, "offers", id, null)
                : _rig.Records.Update(ReplicationRig.Admin, "offers", id, null, !current.Shared, null);
            if (_rig.Signed(dataset, change, record) is { } activity) activities.Add(activity.ToJsonString());
        }
        return (dataset, activities, ids);
    }

    private async Task DeliverAsync(Subscription subscription, IEnumerable<string> activities)
    {
        foreach (var json in activities)
        {
            using var doc = JsonDocument.Parse(json);
            var outcome = await _rig.Applier.ApplyAsync(subscription, doc.RootElement, CancellationToken.None);
            Assert.True(outcome.StartsWith("applied", StringComparison.Ordinal) || outcome.StartsWith("ignored: revision", StringComparison.Ordinal), outcome);
        }
    }

    private static List<string> ShuffledWithDuplicates(IReadOnlyList<string> activities, int seed)
    {
        var random = new Random(seed);
        var list = activities.Concat(Enumerable.Range(0, activities.Count / 3).Select(_ => activities[random.Next(activities.Count)])).ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    [Fact]
    public async Task The_same_changes_in_any_order_and_with_duplicates_leave_the_same_replica()
    {
        var (dataset, activities, ids) = History();
        Assert.InRange(activities.Count, 400, 500); // updates of unshared records send nothing
        Assert.Contains(activities, a => a.Contains("\"type\":\"Delete\"", StringComparison.Ordinal));

        var inOrder = _rig.Subscribe("offers", id: "in-order");
        await DeliverAsync(inOrder, activities);
        var expected = _rig.ReplicaState(inOrder.Id, ids);
        var expectedDigest = DatasetDigest.Of(_rig.Replicas.Revisions(inOrder.Id));

        // In order, the replica is exactly A's shared state.
        Assert.Equal(DatasetDigest.Of(_rig.RecordStore, dataset), expectedDigest);
        Assert.True(expectedDigest.Count > 10);
        Assert.Contains(expected.Values, r => r.Deleted);

        foreach (var seed in new[] { 1, 7, 42, 1234, 20260301 })
        {
            var shuffled = ShuffledWithDuplicates(activities, seed);
            var subscription = _rig.Subscribe("offers", id: $"seed-{seed}", store: false);
            await DeliverAsync(subscription, shuffled);

            Assert.Equal(expectedDigest, DatasetDigest.Of(_rig.Replicas.Revisions(subscription.Id)));
            var actual = _rig.ReplicaState(subscription.Id, ids);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (id, want) in expected)
            {
                var got = actual[id];
                Assert.Equal(want.Revision, got.Revision);
                Assert.Equal(want.Deleted, got.Deleted);
                Assert.Equal(want.ActivityId, got.ActivityId);
                Assert.Equal(want.SignedObject, got.SignedObject);
                Assert.True(got.ProofVerified);
                if (!want.Deleted) Assert.True(JsonElement.DeepEquals(want.Data, got.Data), $"record {id} (seed {seed})");
            }
        }
    }

    [Fact]
    public async Task A_duplicate_or_older_change_is_ignored_and_a_delete_leaves_a_tombstone_until_a_newer_revision()
    {
        var dataset = _rig.Dataset("offers");
        var subscription = _rig.Subscribe("offers");
        var (r1, c1) = _rig.Records.Create(ReplicationRig.Admin, "offers", "r1", ReplicationRig.Data("""{"v":1}"""));
        var create = _rig.Signed(dataset, c1, r1)!;
        var (r2, c2) = _rig.Records.Delete(ReplicationRig.Admin, "offers", "r1", null);
        var delete = _rig.Signed(dataset, c2, r2)!;
        var (r3, c3) = _rig.Records.Create(ReplicationRig.Admin, "offers", "r1", ReplicationRig.Data("""{"v":3}"""));
        var recreate = _rig.Signed(dataset, c3, r3)!;

        async Task<string> Apply(System.Text.Json.Nodes.JsonObject a) => await _rig.Applier.ApplyAsync(subscription, ReplicationRig.Element(a), CancellationToken.None);

        Assert.StartsWith("applied revision 2", await Apply(delete));
        Assert.StartsWith("ignored", await Apply(create));     // older than the tombstone
        Assert.True(_rig.Replicas.Get(subscription.Id, "r1")!.Deleted);
        Assert.Equal(0, _rig.Replicas.Count(subscription.Id));
        Assert.StartsWith("applied revision 3", await Apply(recreate));
        Assert.StartsWith("ignored", await Apply(recreate));   // duplicate
        Assert.StartsWith("ignored", await Apply(delete));     // older
        var held = _rig.Replicas.Get(subscription.Id, "r1")!;
        Assert.False(held.Deleted);
        Assert.Equal(3, held.Revision);
        Assert.Equal(3, held.Data.GetProperty("v").GetInt32());
    }
}
