using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.E2E.Support;
using Commons.Federation.Replication;
using Commons.Storage;
using Xunit.Abstractions;

namespace Commons.E2E;

/// <summary>
/// Consented replication between three real nodes: a follower receives the whole dataset (backfill) and every later
/// change, merged by revision; what is excluded or unshared never crosses the wire; replicas keep their provenance and
/// proofs; a follower that was down catches up; a corrupted replica is detected and resynced.
/// </summary>
public sealed class ReplicationTests(ITestOutputHelper output) : TappedNodesTest()
{
    private static readonly TimeSpan BigDeadline = TimeSpan.FromSeconds(180);
    /// <summary>Markers of what must never leave A: excluded field values, unshared records (ids and content), private datasets.</summary>
    private static readonly string[] Forbidden = ["zzhid", "zzunsh", "zzpriv"];

    private static JsonObject Shared(string name, int n, string hidden) => new() { ["name"] = name, ["n"] = n, ["hidden"] = hidden };

    [Fact]
    public async Task Backfill_of_20000_with_live_changes_converges_and_nothing_excluded_or_unshared_crosses_the_wire()
    {
        var total = Stopwatch.StartNew();
        var pub = await A.CreateDatasetAsync("public", excludedFields: ["hidden"]);
        var appr = await A.CreateDatasetAsync("approval", excludedFields: ["hidden"]);
        var peers = await A.CreateDatasetAsync("peers", excludedFields: ["hidden"], allowedPeers: [B.Authority]);
        var priv = await A.CreateDatasetAsync("private");

        // 20,000 records in the public dataset (1 in 100 unshared), written in-process for speed: enough that B's backfill
        // (v2 pages apply ~5,000 records a second) is still running when the live changes below start.
        IEnumerable<(string, JsonObject, bool)> Seed(int count, int unsharedEvery, string prefix) => Enumerable.Range(0, count).Select(i => i % unsharedEvery == 7
            ? ($"zzunshid{prefix}{i:D5}", new JsonObject { ["name"] = $"zzunsh{prefix}{i}x", ["hidden"] = $"zzhid{prefix}{i}x" }, false)
            : ($"{prefix}{i:D5}", Shared($"{prefix} record {i}", i, $"zzhid{prefix}{i}x"), true));
        var seed = Stopwatch.StartNew();
        await Task.Run(() => A.CreateInProcess(pub, Seed(20000, 100, "r")));
        A.CreateInProcess(appr, Seed(20, 10, "q"));
        A.CreateInProcess(peers, Seed(10, 10, "p"));
        A.CreateInProcess(priv, Enumerable.Range(0, 10).Select(i => ($"zzpriv{i}", new JsonObject { ["name"] = $"zzpriv{i}x" }, true)));
        output.WriteLine($"seeded 20,040 records in {seed.Elapsed.TotalSeconds:N1} s");
        Assert.Equal(19800, A.OwnerDigest(pub).Count);

        var bPub = (string)(await B.FollowAsync(A.Handle(pub)))["id"]!;
        var bPeers = (string)(await B.FollowAsync(A.Handle(peers)))["id"]!;
        var cAppr = (string)(await C.FollowAsync(A.Handle(appr)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(bPub), s => s == "accepted", "B's follow of the public dataset to be accepted");
        var backfill = Stopwatch.StartNew();

        // Live changes while B's backfill runs: creates, updates, deletes, a record unshared then edited, a new unshared
        // record, and the delete of a record that was never shared.
        var during = 0;
        async Task LiveChanges(int from, int to)
        {
            for (var j = from; j < to; j++)
            {
                if (!(bool)(await B.SubscriptionAsync(bPub))["backfillDone"]!) during++;
                switch (j % 6)
                {
                    case 0: await A.CreateRecordAsync(pub, $"live{j}", Shared($"live record {j}", j, $"zzhidlive{j}x")); break;
                    case 1: await A.UpdateRecordAsync(pub, $"r{1000 + j * 3:D5}", Shared($"updated record {j}", j, $"zzhidupd{j}x")); break;
                    case 2: await A.DeleteRecordAsync(pub, $"r{2000 + j * 3:D5}"); break;
                    case 3:
                        await A.UpdateRecordAsync(pub, $"r{3000 + j * 3:D5}", shared: false);
                        await A.UpdateRecordAsync(pub, $"r{3000 + j * 3:D5}", new JsonObject { ["name"] = $"zzunshlive{j}x", ["hidden"] = $"zzhidunsh{j}x" });
                        break;
                    case 4: await A.CreateRecordAsync(pub, $"zzunshidnew{j}", new JsonObject { ["name"] = $"zzunshnew{j}x" }, shared: false); break;
                    case 5: await A.UpdateRecordAsync(pub, $"live{j - 5}", Shared($"live record {j} again", j, $"zzhidlive2{j}x")); break;
                }
            }
        }
        await LiveChanges(0, 36);
        output.WriteLine($"{during} of 36 live changes were made while B's backfill was running");
        Assert.True(during > 0, "the backfill finished before the first live change");

        var done = await Wait.ForAsync(() => B.SubscriptionAsync(bPub), s => (bool)s["backfillDone"]!, "B's backfill to finish", BigDeadline);
        output.WriteLine($"B's backfill done in {backfill.Elapsed.TotalSeconds:N1} s (checkpoint {done["backfillAfter"]})");
        await LiveChanges(36, 60);

        await ReplicationHelpers.WaitConvergedAsync(A, pub, B, bPub, BigDeadline);
        await ReplicationHelpers.WaitConvergedAsync(A, peers, B, bPeers, BigDeadline);
        var verify = await B.VerifyAsync(bPub);
        Assert.True((bool)verify["equal"]!, verify.ToJsonString());
        Assert.False((bool)verify["resyncStarted"]!);
        var expected = A.OwnerShared(pub);
        Assert.Equal(expected.Count, (long)verify["remote"]!["count"]!);
        Assert.Equal(expected.Count, (long)(await B.SubscriptionAsync(bPub))["records"]!);
        Assert.True((bool)(await B.VerifyAsync(bPeers))["equal"]!);
        output.WriteLine($"B converged on {expected.Count} records, {backfill.Elapsed.TotalSeconds:N1} s after acceptance");

        // B's replica holds exactly A's shared state, field by field, without the excluded field.
        var replica = (await B.ReplicaItemsAsync(bPub)).ToDictionary(i => (string)i["id"]!);
        Assert.Equal(expected.Keys.Order(), replica.Keys.Order());
        foreach (var (id, record) in expected)
        {
            var data = replica[id]["data"]!.AsObject();
            Assert.Equal(record.Revision, (long)replica[id]["revision"]!);
            Assert.False(data.ContainsKey("hidden"), id);
            Assert.Equal(record.Data.GetProperty("name").GetString(), (string?)data["name"]);
        }

        // C asked for the approval dataset: pending, nothing of it received, until a steward accepts.
        Assert.Equal("pending", await C.SubscriptionStateAsync(cAppr));
        Assert.Equal(0L, (long)(await C.SubscriptionAsync(cAppr))["records"]!);
        Assert.Equal(0L, (long)(await C.SubscriptionAsync(cAppr))["backfillAfter"]!);
        Assert.DoesNotContain(Tap.ReceivedBy(C), m => m.Text().Contains("\"Create\"", StringComparison.Ordinal) || m.Uri.AbsolutePath.Contains("/outbox", StringComparison.Ordinal));
        await Wait.ForAsync(() => A.FollowersAsync(appr, "pending"), f => f.ContainsKey(C.NodeActor), "C's request to reach A");
        await Http.Expect(await A.StewardAsync(appr, "accept", C.NodeActor), 200);
        await Wait.ForAsync(() => C.SubscriptionStateAsync(cAppr), s => s == "accepted", "C to be accepted");
        await ReplicationHelpers.WaitConvergedAsync(A, appr, C, cAppr, BigDeadline);
        Assert.Equal(18L, (long)(await C.SubscriptionAsync(cAppr))["records"]!);
        Assert.True((bool)(await C.VerifyAsync(cAppr))["equal"]!);

        // What crossed the wire to B and C: inbox POSTs, and answers to their signed GETs (backfill pages, digests, actors).
        foreach (var node in new[] { B, C })
        {
            var received = Tap.ReceivedBy(node);
            foreach (var message in received)
            {
                var text = message.Text();
                foreach (var marker in Forbidden)
                    Assert.False(text.Contains(marker, StringComparison.Ordinal), $"'{marker}' reached {node.Authority} in {message.Method} {message.Uri}: {text[..Math.Min(text.Length, 2000)]}");
            }
        }
        var toB = Tap.ReceivedBy(B);
        var pages = toB.Where(m => m.Uri.AbsolutePath.EndsWith($"/datasets/{pub}/outbox", StringComparison.Ordinal) && m.Uri.Query.Contains("page=")).ToList();
        // Pages hold up to 1,000 items: the 20,000 records seeded in this dataset alone take at least twenty.
        Assert.True(pages.Count >= 20, $"{pages.Count} backfill pages seen on the wire");
        Assert.Contains(pages, p => p.ContentType == BackfillBatch.RecordObjectsMediaType);
        Assert.Contains(pages, p => p.Text().Contains("r record 4321", StringComparison.Ordinal));
        Assert.Contains(toB, m => m.Method == "POST" && m.Text().Contains("live record 59", StringComparison.Ordinal));
        var toC = Tap.ReceivedBy(C);
        Assert.Contains(toC, m => m.Text().Contains("q record 19", StringComparison.Ordinal));
        output.WriteLine($"wire: {toB.Count} messages to B ({toB.Sum(m => (long)m.Bytes.Length):N0} bytes, {pages.Count} backfill pages), {toC.Count} to C");

        // And what B and C keep: the exports of their replicas.
        foreach (var (node, sub, count) in new[] { (B, bPub, expected.Count), (B, bPeers, 9), (C, cAppr, 18) })
        {
            var export = (await node.ExportAsync(sub)).ToJsonString();
            foreach (var marker in Forbidden) Assert.DoesNotContain(marker, export);
            using var doc = JsonDocument.Parse(export);
            var check = ReplicaExport.Check(doc.RootElement);
            Assert.True(check.Ok, string.Join("; ", check.Problems.Take(5)));
            Assert.Equal(count, check.Records);
        }
        output.WriteLine($"total {total.Elapsed.TotalSeconds:N1} s");
    }

    [Fact]
    public async Task Deleting_a_record_that_was_never_shared_sends_nothing_about_it()
    {
        var slug = await A.CreateDatasetAsync("public");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B to be accepted");
        await A.CreateRecordAsync(slug, "zzunshid1", new JsonObject { ["name"] = "zzunsh1x" }, shared: false);
        await A.DeleteRecordAsync(slug, "zzunshid1");
        await A.CreateRecordAsync(slug, "witness", new JsonObject { ["name"] = "shared" });
        await Wait.ForAsync(() => B.ReplicaAsync(sub), r => r.ContainsKey("witness"), "the witness record to reach B");
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        foreach (var message in Tap.ReceivedBy(B))
            Assert.DoesNotContain("zzunsh", message.Text());
    }

    [Fact]
    public async Task Replica_records_carry_provenance_and_an_export_verifies_offline_until_tampered()
    {
        var slug = await A.CreateDatasetAsync("public", excludedFields: ["hidden"]);
        A.CreateInProcess(slug, Enumerable.Range(0, 40).Select(i => ($"s{i:D3}", Shared($"École numéro {i}", i, $"zzhid{i}x"), true)));
        var started = DateTimeOffset.UtcNow;
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        await A.UpdateRecordAsync(slug, "s005", Shared("École mise à jour", 5, "zzhidu"));
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));

        var items = await B.ReplicaItemsAsync(sub);
        Assert.Equal(40, items.Count);
        var owner = A.OwnerShared(slug);
        foreach (var item in items)
        {
            var id = (string)item["id"]!;
            Assert.Equal(A.DatasetActor(slug), (string)item["origin"]!);
            Assert.Equal($"{A.DatasetActor(slug)}/records/{id}", (string)item["objectUri"]!);
            Assert.True((bool)item["proofVerified"]!, id);
            Assert.Equal(owner[id].Revision, (long)item["revision"]!);
            var received = DateTimeOffset.Parse((string)item["receivedAt"]!);
            Assert.InRange(received, started.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        }
        Assert.Equal(2L, (long)items.Single(i => (string)i["id"]! == "s005")["revision"]!);
        var found = await B.ReplicaItemsAsync(sub, q: "ecole mise");
        Assert.Equal("s005", (string)Assert.Single(found)["id"]!);

        var export = await B.ExportAsync(sub);
        Assert.Equal(A.DatasetActor(slug), (string)export["origin"]!);
        var check = ReplicaExport.Check(JsonDocument.Parse(export.ToJsonString()).RootElement);
        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.Equal(40, check.Verified);

        // One record altered after signing: that one, and only that one, fails.
        var records = export["records"]!.AsArray();
        var victim = records.Select(r => r!.AsObject()).First(r => ((string)r["id"]!).EndsWith("/records/s017", StringComparison.Ordinal));
        Assert.True(Tamper(victim, "École numéro 17", "École numéro 71") > 0);
        var after = ReplicaExport.Check(JsonDocument.Parse(export.ToJsonString()).RootElement);
        Assert.False(after.Ok);
        Assert.Equal(39, after.Verified);
        Assert.Contains("/records/s017", Assert.Single(after.Problems));
    }

    /// <summary>Replaces <paramref name="from"/> in every string value of the record's data; returns how many values changed.</summary>
    private static int Tamper(JsonNode node, string from, string to)
    {
        var changed = 0;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key is "proof" || value is null) continue;
                    if (value is JsonValue v && v.TryGetValue<string>(out var text) && text == from) { o[key] = to; changed++; }
                    else changed += Tamper(value, from, to);
                }
                break;
            case JsonArray a:
                foreach (var item in a) if (item is not null) changed += Tamper(item, from, to);
                break;
        }
        return changed;
    }

    [Fact]
    public async Task Follower_down_during_200_changes_to_50_records_ends_with_exactly_the_shared_state()
    {
        var slug = await A.CreateDatasetAsync("public", excludedFields: ["hidden"]);
        var ids = Enumerable.Range(0, 50).Select(i => $"o{i:D2}").ToArray();
        A.CreateInProcess(slug, ids.Take(25).Select((id, i) => (id, Shared($"first {id}", i, "zzhid"), true)));
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (bool)s["backfillDone"]!, "B's backfill to finish");

        await B.StopAsync();
        var outage = Stopwatch.StartNew();
        var random = new Random(4242);
        var live = ids.Take(25).ToHashSet();
        var shared = ids.ToDictionary(id => id, _ => true);
        var kinds = new Dictionary<string, int>();
        for (var n = 0; n < 200; n++)
        {
            var id = ids[random.Next(ids.Length)];
            string kind;
            if (!live.Contains(id))
            {
                kind = "create";
                shared[id] = random.Next(5) != 0;
                await A.CreateRecordAsync(slug, id, Shared($"{id} created at {n}", n, $"zzhid{n}"), shared[id]);
                live.Add(id);
            }
            else switch (random.Next(10))
            {
                case < 6:
                    kind = "update";
                    await A.UpdateRecordAsync(slug, id, Shared($"{id} updated at {n}", n, $"zzhid{n}"));
                    break;
                case < 8:
                    kind = "share";
                    shared[id] = !shared[id];
                    await A.UpdateRecordAsync(slug, id, shared: shared[id]);
                    break;
                default:
                    kind = "delete";
                    await A.DeleteRecordAsync(slug, id);
                    live.Remove(id);
                    break;
            }
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"200 changes while B was down ({string.Join(", ", kinds.Select(k => $"{k.Value} {k.Key}"))}) in {outage.Elapsed.TotalSeconds:N1} s");
        Assert.All(new[] { "create", "update", "delete", "share" }, k => Assert.True(kinds.GetValueOrDefault(k) > 0, k));

        await B.RestartAsync();
        var catchUp = Stopwatch.StartNew();
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(120));
        output.WriteLine($"B caught up {catchUp.Elapsed.TotalSeconds:N1} s after its restart");
        var verify = await B.VerifyAsync(sub);
        Assert.True((bool)verify["equal"]!, verify.ToJsonString());
        Assert.False((bool)verify["resyncStarted"]!);

        var expected = A.OwnerShared(slug);
        Assert.Equal(ids.Count(id => live.Contains(id) && shared[id]), expected.Count);
        var replica = (await B.ReplicaItemsAsync(sub)).ToDictionary(i => (string)i["id"]!);
        Assert.Equal(expected.Keys.Order(), replica.Keys.Order());
        foreach (var (id, record) in expected)
        {
            Assert.Equal(record.Revision, (long)replica[id]["revision"]!);
            Assert.Equal(record.Data.GetProperty("name").GetString(), (string?)replica[id]["data"]!["name"]);
            Assert.False(replica[id]["data"]!.AsObject().ContainsKey("hidden"));
        }
    }

    [Fact]
    public async Task A_corrupted_replica_fails_verification_and_is_resynced_until_equal()
    {
        var slug = await A.CreateDatasetAsync("public");
        A.CreateInProcess(slug, Enumerable.Range(0, 30).Select(i => ($"d{i:D2}", Shared($"record {i}", i, "h"), true)));
        await A.UpdateRecordAsync(slug, "d03", Shared("record 3, second revision", 3, "h"));
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (bool)s["backfillDone"]!, "B's backfill to finish");
        Assert.True((bool)(await B.VerifyAsync(sub))["equal"]!);
        // A's fan-out may still be delivering the same changes live (it met them after B's follow was accepted); under
        // load such a late delivery would mend the corruption below before the check sees it. Wait until A is quiet.
        var key = A.Service<Commons.Core.Services.DatasetService>().Get(ReplicationHelpers.Admin, slug).Key;
        var queue = A.Service<IDeliveryQueue>();
        await Wait.UntilAsync(() => Task.FromResult(queue.FanOutCursor(slug) >= A.Service<Commons.Core.Records.IChangeFeed>().LastSeq(key) && queue.CountPending() == 0),
            "A to have delivered every change");

        // Corrupt B's replica underneath the node: one record gone, another back at a stale revision.
        var db = B.Service<CommonsDatabase>();
        db.Write(() =>
        {
            var col = db.Db.GetCollection(StoreLayout.Replicas);
            Assert.True(col.Delete(StoreLayout.ReplicaDocumentId(sub, "d11")));
            var stale = col.FindById(StoreLayout.ReplicaDocumentId(sub, "d03"));
            stale["rev"] = 1L;
            Assert.True(col.Update(stale));
        });
        Assert.Null(B.Service<IReplicaStore>().Get(sub, "d11"));

        var verify = await B.VerifyAsync(sub);
        Assert.False((bool)verify["equal"]!);
        Assert.True((bool)verify["resyncStarted"]!);
        Assert.Equal(29L, (long)verify["local"]!["count"]!);
        Assert.Equal(30L, (long)verify["remote"]!["count"]!);

        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (bool)s["backfillDone"]!, "the resync to finish");
        var again = await B.VerifyAsync(sub);
        Assert.True((bool)again["equal"]!, again.ToJsonString());
        Assert.False((bool)again["resyncStarted"]!);
        Assert.Equal(2L, B.Service<IReplicaStore>().Get(sub, "d03")!.Revision);
        Assert.Equal("record 11", B.Service<IReplicaStore>().Get(sub, "d11")!.Data.GetProperty("name").GetString());
    }
    [Fact]
    public async Task A_replica_ahead_of_its_origin_is_resynced_until_equal()
    {
        var slug = await A.CreateDatasetAsync("public");
        A.CreateInProcess(slug, Enumerable.Range(0, 30).Select(i => ($"g{i:D2}", Shared($"record {i}", i, "h"), true)));
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (bool)s["backfillDone"]!, "B's backfill to finish");

        // Through B's replica store: a record deleted at a revision the origin never made, and a record the origin never
        // had (as after the origin restored an older backup). Replaying the origin's changes cannot undo either.
        var replicas = B.Service<IReplicaStore>();
        var held = replicas.Get(sub, "g07")!;
        Assert.True(replicas.ApplyIfNewer(held with { Revision = held.Revision + 1, Deleted = true, Data = default }));
        Assert.True(replicas.ApplyIfNewer(held with { RecordId = "ghost", ObjectUri = held.ObjectUri.Replace("/g07", "/ghost", StringComparison.Ordinal), Revision = 9 }));

        var verify = await B.VerifyAsync(sub);
        Assert.False((bool)verify["equal"]!);
        Assert.True((bool)verify["resyncStarted"]!);

        await ReplicationHelpers.WaitConvergedAsync(A, slug, B, sub, TimeSpan.FromSeconds(60));
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (bool)s["backfillDone"]!, "the resync to finish");
        var again = await B.VerifyAsync(sub);
        Assert.True((bool)again["equal"]!, again.ToJsonString());
        Assert.Null(replicas.Get(sub, "ghost"));
        Assert.Equal(1L, replicas.Get(sub, "g07")!.Revision);
        Assert.False(replicas.Get(sub, "g07")!.Deleted);
    }
}
