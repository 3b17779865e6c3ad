using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Integrity;
using Commons.Federation.Replication;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// The v2 backfill batch (<see cref="BackfillBatch.RecordObjectsMediaType"/>): its items are the dataset's signed record
/// objects alone, one proof each. With real Ed25519 proofs by A's keys and B's real verifier and LiteDB replica: a v2 page
/// stores exactly what the activities' page stores (but no activity id, none having been signed); an item whose one proof
/// fails, is missing, is by another key, or that is another dataset's or attributed to another actor refuses the page,
/// and nothing is stored.
/// </summary>
public sealed class RecordObjectBatchTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _x;
    private readonly Dataset _y;

    public RecordObjectBatchTests()
    {
        _x = _rig.Dataset("offers");
        _y = _rig.Dataset("needs");
        for (var i = 0; i < 12; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"o{i:D2}", ReplicationRig.Data($$"""{"title":"Salle {{i}}","n":{{i}}}"""));
        _rig.Records.Update(ReplicationRig.Admin, "offers", "o04", ReplicationRig.Data("""{"title":"Salle 4, refaite","n":44}"""), null, null);
        _rig.Records.Delete(ReplicationRig.Admin, "offers", "o07", null);
        _rig.Records.Create(ReplicationRig.Admin, "needs", "n1", ReplicationRig.Data("""{"title":"Besoin"}"""));
    }

    public void Dispose() => _rig.Dispose();

    private string X => _rig.ActorOf("offers");
    private string Y => _rig.ActorOf("needs");

    private List<JsonObject> RecordObjects(Dataset dataset) =>
        _rig.Backfill.ReadRecordObjects(dataset, 0, BackfillFeed.MaxPageSize).Items.Select(i => (JsonObject)i.DeepClone()).ToList();

    private int IndexOf(List<JsonObject> items, string recordId) => items.FindIndex(o => (string?)o["id"] == _rig.Uris.Record("offers", recordId));

    private Task<PageOutcome> ApplyAsync(Subscription subscription, IEnumerable<JsonObject> items) =>
        _rig.Applier.ApplyRecordObjectPageAsync(subscription, items.Select(ReplicationRig.Element).ToList(), 99, done: true, CancellationToken.None);

    private async Task RefusedAsync(List<JsonObject> items, int at, string because)
    {
        // One subscription for the test: a refused page leaves it as it was.
        var subscription = _rig.Subscriptions.FindByActor(X) ?? _rig.Subscribe("offers");
        var outcome = await ApplyAsync(subscription, items);
        Assert.Null(outcome.Applied);
        Assert.Equal(at, outcome.RefusedAt);
        Assert.Contains(because, outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _rig.Replicas.Count(subscription.Id));
        Assert.Equal(0, _rig.Subscriptions.Find(subscription.Id)!.BackfillAfter);
        Assert.False(_rig.Subscriptions.Find(subscription.Id)!.BackfillDone);
    }

    [Fact]
    public async Task A_v2_page_stores_what_the_activities_page_stores_from_the_signed_objects_alone()
    {
        var subscription = _rig.Subscribe("offers");
        var activities = _rig.Backfill.Read(_x, 0, BackfillFeed.MaxPageSize);
        Assert.Equal(12, (await _rig.Applier.ApplyPageAsync(subscription, activities.Items.Select(ReplicationRig.Element).ToList(), activities.Last, true, CancellationToken.None)).Applied);
        var ids = Enumerable.Range(0, 12).Select(i => $"o{i:D2}").ToList();
        var fromActivities = _rig.ReplicaState(subscription.Id, ids);
        _rig.Replicas.Purge(subscription.Id);

        var objects = RecordObjects(_x);
        Assert.All(objects, o => Assert.DoesNotContain("object", o.Select(p => p.Key)));
        Assert.Equal(activities.Items.Select(a => a["object"]!.ToJsonString()), objects.Select(o => o.ToJsonString()));
        var outcome = await ApplyAsync(subscription, objects);

        Assert.Equal(12, outcome.Applied);
        var fromObjects = _rig.ReplicaState(subscription.Id, ids);
        foreach (var id in ids)
        {
            var (want, got) = (fromActivities[id], fromObjects[id]);
            Assert.NotNull(want.ActivityId);
            Assert.Null(got.ActivityId);
            Assert.Equal(want with { ActivityId = null, Data = default }, got with { Data = default });
            Assert.Equal(want.Data.ValueKind == default ? null : want.Data.GetRawText(), got.Data.ValueKind == default ? null : got.Data.GetRawText());
        }
        Assert.True(fromObjects["o07"].Deleted);
        Assert.Equal(2, fromObjects["o04"].Revision);
        Assert.Equal("Salle 4, refaite", (string?)fromObjects["o04"].Data.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_older_record_object_does_not_replace_a_newer_one()
    {
        var subscription = _rig.Subscribe("offers");
        var before = RecordObjects(_x);
        _rig.Records.Update(ReplicationRig.Admin, "offers", "o02", ReplicationRig.Data("""{"title":"Salle 2, v2","n":2}"""), null, null);
        Assert.Equal(12, (await ApplyAsync(subscription, RecordObjects(_x))).Applied);

        Assert.Equal(0, (await ApplyAsync(subscription, before.Where(o => (string?)o["id"] == _rig.Uris.Record("offers", "o02")))).Applied);
        Assert.Equal(2, _rig.Replicas.Get(subscription.Id, "o02")!.Revision);
    }

    [Fact]
    public async Task An_item_with_a_field_changed_after_signing_refuses_the_page()
    {
        foreach (var (recordId, change) in new (string, Action<JsonObject>)[]
        {
            ("o05", o => o["commons:data"]!["n"] = 9999),
            ("o05", o => o["name"] = "Salle à vendre"),
            ("o05", o => o["commons:revision"] = 7),
            ("o05", o => o["type"] = "Tombstone"),
            // A Tombstone whose revision is raised (to outrank a later create) or that is made a Note.
            ("o07", o => o["commons:revision"] = 99),
            ("o07", o => o["deleted"] = "2020-01-01T00:00:00Z"),
        })
        {
            var items = RecordObjects(_x);
            var at = IndexOf(items, recordId);
            change(items[at]);
            await RefusedAsync(items, at, "refused: the record's proof: BadSignature");
        }
    }

    [Fact]
    public async Task An_item_without_a_proof_refuses_the_page()
    {
        var items = RecordObjects(_x);
        var at = IndexOf(items, "o03");
        items[at].Remove("proof");
        await RefusedAsync(items, at, "refused: the record's proof: MissingProof");

        var tombstones = RecordObjects(_x);
        var deleted = IndexOf(tombstones, "o07");
        tombstones[deleted].Remove("proof");
        await RefusedAsync(tombstones, deleted, "refused: the record's proof: MissingProof");
    }

    [Fact]
    public async Task An_item_signed_by_another_key_refuses_the_page()
    {
        var cases = new (Ed25519SigningKey Key, string Method)[]
        {
            (_rig.Keys.For("needs").Ed25519, X + "#ed25519-key"), // another key under X's key name
            (_rig.Keys.For("needs").Ed25519, Y + "#ed25519-key"), // another dataset's key under its own name
            (Ed25519SigningKey.Generate(), X + "#ed25519-key"),     // a key nobody published
        };
        foreach (var (key, method) in cases)
        {
            foreach (var recordId in new[] { "o06", "o07" })
            {
                var items = RecordObjects(_x);
                var at = IndexOf(items, recordId);
                items[at].Remove("proof");
                items[at]["proof"] = EddsaJcs2022Cryptosuite.CreateProof(items[at], key, new DataIntegrityProofOptions(method, _rig.Clock.GetUtcNow()));
                await RefusedAsync(items, at, "refused: the record's proof");
            }
        }
    }

    [Fact]
    public async Task An_object_of_another_dataset_or_attributed_to_another_actor_refuses_the_page()
    {
        // Y's genuine record object in X's page.
        var items = RecordObjects(_x);
        items.Insert(3, RecordObjects(_y)[0]);
        await RefusedAsync(items, 3, "not one of this dataset's records");

        // Y's object moved under X's URL: its proof is by Y's key, not X's.
        var moved = RecordObjects(_y)[0];
        moved["id"] = _rig.Uris.Record("offers", "n1");
        moved["attributedTo"] = X;
        items = RecordObjects(_x);
        items.Add(moved);
        await RefusedAsync(items, items.Count - 1, "refused: the record's proof");

        // X's own key, but attributed to Y.
        items = RecordObjects(_x);
        var at = IndexOf(items, "o01");
        items[at]["attributedTo"] = Y;
        _rig.Proofs.Sign("offers", items[at]);
        await RefusedAsync(items, at, "attributed to another actor");

        // A whole signed activity (a v1 item) is not a record object of the dataset.
        items = RecordObjects(_x);
        items.Insert(0, (JsonObject)_rig.Backfill.Read(_x, 0, 1).Items[0].DeepClone());
        await RefusedAsync(items, 0, "not one of this dataset's records");
    }
}
