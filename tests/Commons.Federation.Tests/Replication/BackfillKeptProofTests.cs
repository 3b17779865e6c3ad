using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Replication;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// The origin keeps the proofs a backfill page signed (<see cref="RecordProofCache"/>) and writes them again for the same
/// record state; a proof never describes another state of the record or of the dataset's settings, and never outlives its
/// key: each such page is checked by the follower's real <see cref="ReplicaApplier"/> (every proof verified).
/// </summary>
public sealed class BackfillKeptProofTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private Dataset _dataset;

    public BackfillKeptProofTests()
    {
        _dataset = _rig.Dataset("offers");
        for (var i = 0; i < 5; i++) Write($"o{i}", i, create: true);
    }

    public void Dispose() => _rig.Dispose();

    private void Write(string id, int n, bool create = false)
    {
        var body = ReplicationRig.Data($$"""{"title":"Salle à prêter","n":{{n}},"contact":"desk"}""");
        if (create) _rig.Records.Create(ReplicationRig.Admin, "offers", id, body);
        else _rig.Records.Update(ReplicationRig.Admin, "offers", id, body, null, null);
    }

    private static JsonObject Item(BackfillFeed.Page page, string recordId) =>
        page.Items.Single(i => ((string)i["object"]!["id"]!).EndsWith("/records/" + recordId, StringComparison.Ordinal));

    private static string Proof(JsonObject node, string member = "proofValue") => (string)node["proof"]![member]!;

    /// <summary>A fresh follower applies the page whole: every item's two proofs verified.</summary>
    private async Task<PageOutcome> ApplyAsNewFollower(BackfillFeed.Page page)
    {
        var subscription = _rig.Subscribe("offers");
        return await _rig.Applier.ApplyPageAsync(subscription, page.Items.Select(ReplicationRig.Element).ToList(), page.Last, done: true, CancellationToken.None);
    }

    [Fact]
    public async Task A_second_read_writes_the_kept_proofs_again_and_they_verify()
    {
        var first = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        var signedAt = Proof(Item(first, "o1"), "created");
        _rig.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);

        // Signed again, the proofs would state the later time.
        Assert.Equal(signedAt, Proof(Item(second, "o1"), "created"));
        Assert.Equal(signedAt, Proof(Item(second, "o1")["object"]!.AsObject(), "created"));
        Assert.Equal(Proof(Item(first, "o1")), Proof(Item(second, "o1")));
        var outcome = await ApplyAsNewFollower(second);
        Assert.Null(outcome.RefusedAt);
        Assert.Equal(5, outcome.Applied);
    }

    [Fact]
    public async Task A_changed_record_gets_fresh_proofs_of_its_new_state()
    {
        var before = Item(_rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize), "o2");
        Write("o2", 42);

        var page = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);

        var after = Item(page, "o2");
        Assert.Equal(42, (int)after["object"]!["commons:data"]!["n"]!);
        Assert.NotEqual(Proof(before["object"]!.AsObject()), Proof(after["object"]!.AsObject()));
        var outcome = await ApplyAsNewFollower(page);
        Assert.Null(outcome.RefusedAt);
    }

    [Fact]
    public async Task A_rotated_key_signs_fresh_proofs_and_the_retired_ones_are_dropped()
    {
        _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        Assert.Equal(5, _rig.Proofs.Kept.Count);
        _rig.Keys.Rotate("offers");
        _rig.ServeActor(_dataset);

        _rig.Backfill.Read(_dataset, 0, 2);
        Assert.Equal(2, _rig.Proofs.Kept.Count); // the retired key's were dropped
        var page = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);

        var method = _rig.ActorOf("offers") + "#ed25519-key-2";
        Assert.All(page.Items, i => Assert.Equal(method, Proof(i, "verificationMethod")));
        Assert.All(page.Items, i => Assert.Equal(method, Proof(i["object"]!.AsObject(), "verificationMethod")));
        var outcome = await ApplyAsNewFollower(page);
        Assert.Null(outcome.RefusedAt);
    }

    [Fact]
    public async Task A_changed_dataset_setting_gets_fresh_proofs_of_what_the_records_now_show()
    {
        _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        _dataset = _rig.Datasets.Update(ReplicationRig.Admin, "offers", new DatasetDraft { ExcludedFields = ["contact"] });

        var page = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);

        Assert.All(page.Items.Where(i => i["object"]!["commons:data"] is not null), i => Assert.Null(i["object"]!["commons:data"]!["contact"]));
        var outcome = await ApplyAsNewFollower(page);
        Assert.Null(outcome.RefusedAt);
    }

    [Fact]
    public void The_kept_proofs_are_bounded_by_two_generations()
    {
        var cache = new RecordProofCache(generationSize: 3);
        var proofs = new KeptProofs("k", DateTimeOffset.UnixEpoch, new byte[64], DateTimeOffset.UnixEpoch, new byte[64]);
        for (var seq = 1; seq <= 10; seq++) cache.Keep(new RecordProofKey(1, 1, seq, $"r{seq}", 1, DateTimeOffset.UnixEpoch), proofs);

        Assert.True(cache.Count <= 6);
        Assert.NotNull(cache.Find(new RecordProofKey(1, 1, 10, "r10", 1, DateTimeOffset.UnixEpoch), "k"));
        Assert.Null(cache.Find(new RecordProofKey(1, 1, 1, "r1", 1, DateTimeOffset.UnixEpoch), "k"));
        Assert.Null(cache.Find(new RecordProofKey(1, 1, 10, "r10", 1, DateTimeOffset.UnixEpoch), "another key"));
    }

    [Fact]
    public async Task A_record_objects_proof_kept_from_a_v2_page_serves_the_activities_page_and_the_activity_is_signed_once()
    {
        var objects = _rig.Backfill.ReadRecordObjects(_dataset, 0, BackfillFeed.MaxPageSize);
        var objectSignedAt = Proof(objects.Items.Single(o => ((string)o["id"]!).EndsWith("/records/o1", StringComparison.Ordinal)), "created");
        _rig.Clock.Advance(TimeSpan.FromMinutes(5));

        // The activities' page reuses the objects' proofs and signs (then keeps) the activities' own.
        var activities = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        Assert.Equal(objectSignedAt, Proof(Item(activities, "o1")["object"]!.AsObject(), "created"));
        var activitySignedAt = Proof(Item(activities, "o1"), "created");
        Assert.NotEqual(objectSignedAt, activitySignedAt);
        Assert.Null((await ApplyAsNewFollower(activities)).RefusedAt);

        _rig.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = _rig.Backfill.Read(_dataset, 0, BackfillFeed.MaxPageSize);
        Assert.Equal(activitySignedAt, Proof(Item(again, "o1"), "created"));
        Assert.Equal(objectSignedAt, Proof(_rig.Backfill.ReadRecordObjects(_dataset, 0, BackfillFeed.MaxPageSize).Items
            .Single(o => ((string)o["id"]!).EndsWith("/records/o1", StringComparison.Ordinal)), "created"));
    }
}
