using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.Replication;
using MessagePack;

namespace Commons.Federation.Tests.Replication;

/// <summary>The MessagePack batch, the divergence digest and the offline check of an export.</summary>
public sealed class BatchDigestExportTests : IDisposable
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _dataset;

    public BatchDigestExportTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < 40; i++)
            _rig.Records.Create(ReplicationRig.Admin, "offers", $"r{i:00}", ReplicationRig.Data($$"""{"title":"Salle à prêter — vergaderzaal «{{i}}»","emoji":"🚲","n":{{i}},"x":1.5e-7}"""));
        _rig.Records.Delete(ReplicationRig.Admin, "offers", "r03", null);
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_MessagePack_batch_round_trips_the_activities_byte_for_byte_and_their_proofs_still_verify()
    {
        var page = _rig.Backfill.Read(_dataset, 0, 30);
        var bytes = BackfillBatch.Encode(page);
        var (items, last, next) = BackfillBatch.Decode(bytes);

        Assert.Equal(page.Last, last);
        Assert.Equal(page.Next, next);
        Assert.Equal(page.Items.Count, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(page.Items[i].ToJsonString(Relaxed), items[i].GetRawText());
            var activity = ProofVerifier.AsObject(items[i])!;
            Assert.True((await _rig.Verifier.VerifyAsync(activity, _rig.ActorOf("offers"), CancellationToken.None)).IsValid);
            Assert.True((await _rig.Verifier.VerifyAsync((JsonObject)activity["object"]!, _rig.ActorOf("offers"), CancellationToken.None)).IsValid);
        }

        // The last page: no next.
        var rest = BackfillBatch.Decode(BackfillBatch.Encode(_rig.Backfill.Read(_dataset, last, 1000)));
        Assert.Null(rest.Next);
        Assert.Equal(_rig.Feed.LastSeq(_dataset.Key), rest.Last);

        // And what came out applies to a replica.
        var subscription = _rig.Subscribe("offers");
        foreach (var item in items.Concat(rest.Items))
            Assert.StartsWith("applied", await _rig.Applier.ApplyAsync(subscription, item, CancellationToken.None));
        Assert.Equal(DatasetDigest.Of(_rig.RecordStore, _dataset), DatasetDigest.Of(_rig.Replicas.Revisions(subscription.Id)));
    }

    [Fact]
    public async Task A_JSON_page_built_as_the_outbox_builds_it_applies_although_the_page_drops_the_items_context()
    {
        var page = _rig.Backfill.Read(_dataset, 0, 1000);
        var outbox = _rig.Uris.DatasetOutbox("offers");
        // As the node's outbox endpoint answers: an OrderedCollectionPage (which drops each item's @context) + commons:last/lastSeq.
        var doc = Commons.Federation.ActivityStreams.CollectionDocuments.OrderedCollectionPage($"{outbox}?page=0", outbox, page.Items, null);
        doc[Commons.Federation.ActivityStreams.ActivityStreamsContext.Last] = page.Last;
        doc[Commons.Federation.ActivityStreams.ActivityStreamsContext.LastSeq] = page.LastSeq;
        Assert.DoesNotContain("@context", doc["orderedItems"]![0]!.AsObject().Select(p => p.Key));

        var (items, last, next) = BackfillBatch.DecodeJson(Encoding.UTF8.GetBytes(doc.ToJsonString(Relaxed)));
        Assert.Equal(page.Last, last);
        Assert.Null(next);
        var subscription = _rig.Subscribe("offers");
        foreach (var item in items)
            Assert.StartsWith("applied", await _rig.Applier.ApplyAsync(subscription, item, CancellationToken.None));
        Assert.Equal(DatasetDigest.Of(_rig.RecordStore, _dataset), DatasetDigest.Of(_rig.Replicas.Revisions(subscription.Id)));
    }

    public static TheoryData<string> Garbage => new()
    {
        "",
        "00",
        "ffffffffffffffff",
        Convert.ToHexString(Encoding.UTF8.GetBytes("""{"orderedItems":[]}""")),
        Convert.ToHexString(MessagePackSerializer.Serialize(42)),
        Convert.ToHexString(MessagePackSerializer.Serialize(new object[] { "not items", 1L, null! })),
        Convert.ToHexString(MessagePackSerializer.Serialize(new object[] { new object[] { 5 }, 1L, null! })),
        Convert.ToHexString(MessagePackSerializer.Serialize(new object[] { new object[] { Encoding.UTF8.GetBytes("{not json") }, 1L, null! })),
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_not_a_batch(string hex)
    {
        Assert.Throws<FormatException>(() => BackfillBatch.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Random_bytes_and_a_truncated_batch_are_not_a_batch()
    {
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            Assert.Throws<FormatException>(() => BackfillBatch.Decode(bytes));
        }
        var batch = BackfillBatch.Encode(_rig.Backfill.Read(_dataset, 0, 30));
        Assert.Throws<FormatException>(() => BackfillBatch.Decode(batch[..(batch.Length / 2)]));
        Assert.Throws<FormatException>(() => BackfillBatch.DecodeJson(Encoding.UTF8.GetBytes("{\"orderedItems\":[")));
        Assert.Throws<FormatException>(() => BackfillBatch.DecodeJson(Encoding.UTF8.GetBytes("{\"orderedItems\":[]}")));
    }

    [Fact]
    public void The_digest_depends_on_ids_and_revisions_not_on_how_an_equal_list_was_enumerated()
    {
        var records = Enumerable.Range(0, 200).Select(i => ($"r{i:000}", (long)(i % 7 + 1))).ToList();
        var digest = DatasetDigest.Of(records);
        Assert.Equal(200, digest.Count);
        Assert.Equal(64, digest.Hash.Length);

        // Equal lists, whatever produced them (a copy, a lazy sequence, a sort of a shuffled copy).
        var shuffled = records.OrderBy(_ => Guid.NewGuid()).ToList();
        Assert.Equal(digest, DatasetDigest.Of(records.ToArray()));
        Assert.Equal(digest, DatasetDigest.Of(records.Select(r => r)));
        Assert.Equal(digest, DatasetDigest.Of(shuffled.OrderBy(r => r.Item1, StringComparer.Ordinal)));

        Assert.NotEqual(digest, DatasetDigest.Of(records.Select(r => r.Item1 == "r100" ? (r.Item1, r.Item2 + 1) : r)));
        Assert.NotEqual(digest, DatasetDigest.Of(records.Where(r => r.Item1 != "r100")));
        Assert.NotEqual(digest.Hash, DatasetDigest.Of(records.Select(r => r.Item1 == "r100" ? ("r100x", r.Item2) : r)).Hash);
        // The separator keeps "r1"+"23" apart from "r12"+"3".
        Assert.NotEqual(DatasetDigest.Of([("r1", 23L)]), DatasetDigest.Of([("r12", 3L)]));
        Assert.Equal(new DatasetDigest.Value(0, DatasetDigest.Of([]).Hash), DatasetDigest.Of([]));

        // The owner's digest of a dataset equals the digest of the same (id, revision) pairs.
        var live = Enumerable.Range(0, 40).Where(i => i != 3).Select(i => ($"r{i:00}", 1L));
        Assert.Equal(DatasetDigest.Of(live), DatasetDigest.Of(_rig.RecordStore, _dataset));
    }

    private async Task<(JsonElement Export, string SubscriptionId)> ExportAsync()
    {
        var subscription = _rig.Subscribe("offers");
        foreach (var item in _rig.Backfill.Read(_dataset, 0, 1000).Items)
            await _rig.Applier.ApplyAsync(subscription, ReplicationRig.Element(item), CancellationToken.None);
        var export = new ReplicaExport(_rig.Subscriptions, _rig.Replicas, _rig.Actors, _rig.Clock);
        var built = await export.BuildAsync(subscription.Id, CancellationToken.None);
        return (ReplicationRig.Element(built), subscription.Id);
    }

    private static JsonElement Edit(JsonElement export, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(export.GetRawText())!.AsObject();
        edit(node);
        return ReplicationRig.Element(node);
    }

    [Fact]
    public async Task A_valid_export_checks_offline()
    {
        var (export, _) = await ExportAsync();
        var result = ReplicaExport.Check(export);
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(39, result.Records);
        Assert.Equal(39, result.Verified);
    }

    [Fact]
    public async Task A_tampered_record_fails_the_check()
    {
        var (export, _) = await ExportAsync();
        var tampered = Edit(export, e => e["records"]![5]!["commons:data"]!["title"] = "Salle à vendre");
        var result = ReplicaExport.Check(tampered);
        Assert.False(result.Ok);
        Assert.Equal(38, result.Verified);
        Assert.Single(result.Problems);

        var noProof = Edit(export, e => e["records"]![0]!.AsObject().Remove("proof"));
        Assert.False(ReplicaExport.Check(noProof).Ok);

        var foreign = Edit(export, e => e["records"]![1]!["id"] = "https://elsewhere.example/datasets/offers/records/r01");
        var foreignResult = ReplicaExport.Check(foreign);
        Assert.False(foreignResult.Ok);
        Assert.Contains(foreignResult.Problems, p => p.Contains("not a record of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_whose_actor_document_is_not_the_origins_is_refused()
    {
        var (export, _) = await ExportAsync();

        // Another dataset's actor document (its own keys) under this origin.
        var other = _rig.Dataset("needs");
        var otherActor = Commons.Federation.ActivityStreams.ActorDocuments.DatasetActor(other, _rig.Uris, _rig.Keys.PublicKeysOf("needs"));
        var swapped = Edit(export, e => e["actor"] = otherActor);
        var result = ReplicaExport.Check(swapped);
        Assert.False(result.Ok);
        Assert.Equal(0, result.Verified);

        // The origin renamed to another actor.
        var renamed = Edit(export, e => e["origin"] = _rig.ActorOf("needs"));
        Assert.False(ReplicaExport.Check(renamed).Ok);

        // The actor document's id changed (keys left as they are).
        var relabelled = Edit(export, e => e["actor"]!["id"] = "https://elsewhere.example/datasets/offers");
        Assert.False(ReplicaExport.Check(relabelled).Ok);

        Assert.False(ReplicaExport.Check(Edit(export, e => e["format"] = "something-else")).Ok);
    }
}
