using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Integrity;
using Commons.Federation.Replication;
using Commons.Federation.Signatures.Keys;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Bench;

/// <summary>
/// Where a backfill page's time goes, stage by stage, on ONE thread (so the stages add up to the CPU a record costs A and
/// B together, whatever else runs): A reads the changes and builds the activities, signs them (two proofs each), writes the
/// page (JSON, MessagePack); B parses it, checks both proofs of every item, stores the page in one transaction.
/// The node runs the signing and the checks on all cores; this split says which stage a core spends its time in.
/// </summary>
public static class BackfillStages
{
    public sealed record Inputs(NodeStores Stores, Dataset Dataset, ActivityUris Uris, ObjectProofs Proofs, Ed25519VerificationKey Key,
        IReadOnlyList<ReplicaRecord> Replicas, int PageSize);

    public static void Print(Inputs inputs)
    {
        var rows = new List<(string Stage, double MicrosPerRecord)>();
        var n = inputs.PageSize;
        List<(Commons.Core.Changes.Change Change, Commons.Core.Records.Record Record)> read = [];
        rows.Add(("A: read the changes and their records (one query for the page's records)", Time(() =>
        {
            var changes = inputs.Stores.Feed.Since(inputs.Dataset.Key, 0, n);
            var records = inputs.Stores.RecordStore.GetMany(inputs.Dataset.Key, changes.Select(c => c.RecordId!).ToList()).ToDictionary(r => r.Id);
            read = changes.Select(c => (c, records[c.RecordId!])).ToList();
        }) / n));
        List<JsonObject> activities = [];
        rows.Add(("A: build the activities (record object, HTML content, addressing)", Time(() =>
            activities = read.Select(r => DatasetActivities.ForCurrentState(inputs.Dataset, r.Change, r.Record, inputs.Uris)!).ToList()) / n));
        var copies = activities.Select(a => (JsonObject)a.DeepClone()).ToList();
        List<JsonObject> signed = [];
        rows.Add(("A: sign the record object and the activity (2 eddsa-jcs-2022 proofs)", Time(() =>
            signed = copies.Select(a => inputs.Proofs.SignActivity(inputs.Dataset.Slug, a)).ToList()) / n));
        var page = new BackfillFeed.Page(signed, n, n, n * 2L);
        byte[] json = [];
        rows.Add(("A: write the JSON page", Time(() =>
        {
            var doc = CollectionDocuments.OrderedCollectionPage("https://a/outbox?page=0", "https://a/outbox", page.Items, "https://a/outbox?page=1");
            doc[ActivityStreamsContext.Last] = page.Last;
            doc[ActivityStreamsContext.LastSeq] = page.LastSeq;
            json = System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString(ActivityStreamsContext.WireOptions));
            // The page document took the items as its children: give them back for the next stage.
            doc["orderedItems"]!.AsArray().Clear();
        }) / n));
        byte[] batch = [];
        rows.Add(("A: write the MessagePack page", Time(() => batch = BackfillBatch.Encode(page)) / n));
        IReadOnlyList<JsonElement> items = [];
        rows.Add(("B: parse the JSON page (each item given the page's @context back)", Time(() => items = BackfillBatch.DecodeJson(json).Items) / n));
        rows.Add(("B: parse the MessagePack page", Time(() => BackfillBatch.Decode(batch)) / n));
        rows.Add(("B: check the activity's proof", Time(() =>
        {
            foreach (var item in items)
                if (!EddsaJcs2022Cryptosuite.Verify(item, inputs.Key).IsValid) throw new InvalidOperationException("activity proof");
        }) / n));
        rows.Add(("B: check the record object's proof", Time(() =>
        {
            foreach (var item in items)
                if (!EddsaJcs2022Cryptosuite.Verify(item.GetProperty("object"), inputs.Key).IsValid) throw new InvalidOperationException("object proof");
        }) / n));
        rows.Add(("B: keep the signed record object (serialise it for the replica)", Time(() =>
        {
            foreach (var item in items) JsonSerializer.Serialize(item.GetProperty("object"), ActivityStreamsContext.WireOptions);
        }) / n));
        rows.Add(("B: store the page and its checkpoint (one transaction)", StoreOnce(inputs) / n));

        var total = rows.Sum(r => r.MicrosPerRecord);
        Console.WriteLine();
        Console.WriteLine($"Stages of one page of {n} records, one thread (µs per record; share of their sum) — load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| stage | µs per record | share |");
        Console.WriteLine("|---|---|---|");
        foreach (var (stage, micros) in rows) Console.WriteLine($"| {stage} | {micros:0.0} | {micros / total:P0} |");
        Console.WriteLine($"| sum (the MessagePack rows counted with the JSON ones) | {total:0.0} | |");
    }

    /// <summary>Median of three runs of <paramref name="stage"/>, in µs.</summary>
    private static double Time(Action stage)
    {
        var times = new double[3];
        for (var i = 0; i < times.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            stage();
            times[i] = sw.Elapsed.TotalMicroseconds;
        }
        Array.Sort(times);
        return times[1];
    }

    private static double StoreOnce(Inputs inputs)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var dir = TempDirs.New("backfill-stage-store");
            try
            {
                using var database = CommonsDatabase.Open(dir);
                var subscriptions = new LiteSubscriptionStore(database);
                var replicas = new LiteReplicaStore(database);
                var subscription = new Subscription
                {
                    Id = "stage", DatasetActor = "https://a/datasets/x", Inbox = "https://a/datasets/x/inbox", FollowActivityId = "https://b/actor#follows/1",
                    State = SubscriptionState.Accepted, RequestedBy = "admin", Since = DateTimeOffset.UtcNow,
                };
                subscriptions.Upsert(subscription);
                var records = inputs.Replicas.Select(r => r with { SubscriptionId = "stage" }).ToList();
                var sw = Stopwatch.StartNew();
                replicas.ApplyPage(new ReplicaPage("stage", subscription.FollowActivityId, records, records.Count, false, DateTimeOffset.UtcNow));
                times.Add(sw.Elapsed.TotalMicroseconds);
            }
            finally { TempDirs.Delete(dir); }
        }
        times.Sort();
        return times[1];
    }
}
