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
    public sealed record Inputs(NodeStores Stores, Dataset Dataset, ActivityUris Uris, Commons.Federation.Actors.ActorKeyring Keys, ObjectProofs Proofs, Ed25519VerificationKey Key,
        IReadOnlyList<ReplicaRecord> Replicas, int PageSize);

    /// <summary>Prints the split and returns its rows (stage, µs per record, KB allocated per record).</summary>
    public static IReadOnlyList<(string Stage, double MicrosPerRecord, double KilobytesPerRecord)> Print(Inputs inputs)
    {
        var rows = new List<(string Stage, double MicrosPerRecord, double KilobytesPerRecord)>();
        var n = inputs.PageSize;
        List<(Commons.Core.Changes.Change Change, Commons.Core.Records.Record Record)> read = [];
        rows.Add(Row("A: read the changes and their records (one query for the page's records)", Time(() =>
        {
            var changes = inputs.Stores.Feed.Since(inputs.Dataset.Key, 0, n);
            var records = inputs.Stores.RecordStore.GetMany(inputs.Dataset.Key, changes.Select(c => c.RecordId!).ToList()).ToDictionary(r => r.Id);
            read = changes.Select(c => (c, records[c.RecordId!])).ToList();
        }), n));
        List<JsonObject> activities = [];
        rows.Add(Row("A: build the activities (record object, HTML content, addressing)", Time(() =>
            activities = read.Select(r => DatasetActivities.ForCurrentState(inputs.Dataset, r.Change, r.Record, inputs.Uris)!).ToList()), n));
        var copies = activities.Select(a => (JsonObject)a.DeepClone()).ToList();
        List<JsonObject> signed = [];
        rows.Add(Row("A: sign the record object and the activity (2 eddsa-jcs-2022 proofs)", Time(() =>
            signed = copies.Select(a => inputs.Proofs.SignActivity(inputs.Dataset.Slug, a)).ToList()), n));
        // The v2 batch's items: the record objects alone, each signed once (a fresh keeper, so that every one is signed).
        var objectCopies = read.Select(r => DatasetActivities.RecordObjectForCurrentState(inputs.Dataset, r.Change, r.Record, inputs.Uris)!).ToList();
        var objectStates = read.Select(r => new RecordProofKey(inputs.Dataset.Key, inputs.Dataset.Version, r.Change.Seq, r.Record.Id, r.Record.Revision, r.Record.UpdatedAt)).ToList();
        var objectSigner = new ObjectProofs(inputs.Keys, inputs.Uris, TimeProvider.System);
        var objectSigns = 0;
        rows.Add(Row("A: sign the record object alone (v2 batch, 1 proof; not in the sum)", Time(() =>
        {
            if (objectSigns++ > 0) objectSigner.Kept.Clear();
            for (var i = 0; i < n; i++) objectSigner.SignRecordObject(inputs.Dataset.Slug, objectCopies[i], objectStates[i]);
        }), n));
        // A next follower's page: the proofs the origin kept for each record's state written again (primed by one pass).
        var states = read.Select(r => new RecordProofKey(inputs.Dataset.Key, inputs.Dataset.Version, r.Change.Seq, r.Record.Id, r.Record.Revision, r.Record.UpdatedAt)).ToList();
        var keeping = new ObjectProofs(inputs.Keys, inputs.Uris, TimeProvider.System);
        for (var i = 0; i < n; i++) keeping.SignActivity(inputs.Dataset.Slug, (JsonObject)activities[i].DeepClone(), states[i]);
        var keptCopies = Enumerable.Range(0, 3).Select(_ => activities.Select(a => (JsonObject)a.DeepClone()).ToList()).ToList();
        var pass = 0;
        rows.Add(Row("A: put the kept proofs on again (a next follower; not in the sum)", Time(() =>
        {
            var copies = keptCopies[pass++];
            for (var i = 0; i < n; i++) keeping.SignActivity(inputs.Dataset.Slug, copies[i], states[i]);
        }), n));
        var page = new BackfillFeed.Page(signed, n, n, n * 2L);
        byte[] json = [];
        ReadOnlyMemory<byte> written = default;
        rows.Add(Row("A: write the JSON page", Time(() => written = BackfillPageJson.Write(page, "https://a/outbox", 0)), n));
        json = written.ToArray();
        byte[] batch = [];
        rows.Add(Row("A: write the MessagePack page", Time(() => batch = BackfillBatch.Encode(page)), n));
        IReadOnlyList<JsonElement> items = [];
        JsonElement context = default;
        rows.Add(Row("B: parse the JSON page (once; its @context kept for the items' proof checks)", Time(() => (items, context, _, _) = BackfillBatch.DecodeJsonPage(json)), n));
        rows.Add(Row("B: parse the MessagePack page", Time(() => BackfillBatch.Decode(batch)), n));
        rows.Add(Row("B: check the activity's proof", Time(() =>
        {
            foreach (var item in items)
                if (!EddsaJcs2022Cryptosuite.Verify(item, context, inputs.Key).IsValid) throw new InvalidOperationException("activity proof");
        }), n));
        rows.Add(Row("B: check the record object's proof", Time(() =>
        {
            foreach (var item in items)
                if (!EddsaJcs2022Cryptosuite.Verify(item.GetProperty("object"), inputs.Key).IsValid) throw new InvalidOperationException("object proof");
        }), n));
        rows.Add(Row("B: keep the signed record object (its text as sent, for the replica)", Time(() =>
        {
            foreach (var item in items) item.GetProperty("object").GetRawText();
        }), n));
        rows.Add(Row("B: store the page and its checkpoint (one transaction)", StoreOnce(inputs), n));

        var total = rows.Where(r => !r.Stage.Contains("not in the sum")).Sum(r => r.MicrosPerRecord);
        Console.WriteLine();
        Console.WriteLine($"Stages of one page of {n} records, one thread (µs of CPU per record; share of their sum) — load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| stage | µs per record | share | KB allocated per record |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (stage, micros, kb) in rows) Console.WriteLine($"| {stage} | {micros:0.0} | {micros / total:P0} | {kb:0.0} |");
        Console.WriteLine($"| sum (the MessagePack rows counted with the JSON ones) | {total:0.0} | | {rows.Where(r => !r.Stage.Contains("not in the sum")).Sum(r => r.KilobytesPerRecord):0.0} |");
        return rows;
    }

    /// <summary>
    /// Median of three runs of <paramref name="stage"/> in µs of the process's CPU (the stage's thread and the garbage
    /// collection it causes; on a machine shared with others the wall clock counts their time too), and the bytes its
    /// last run allocated on this thread.
    /// </summary>
    private static (double Micros, long Bytes) Time(Action stage)
    {
        var times = new double[3];
        long bytes = 0;
        for (var i = 0; i < times.Length; i++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            stage();
            times[i] = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
            bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        }
        Array.Sort(times);
        return (times[1], bytes);
    }

    private static (string, double, double) Row(string stage, (double Micros, long Bytes) measured, int n) => (stage, measured.Micros / n, measured.Bytes / 1024.0 / n);

    private static (double Micros, long Bytes) StoreOnce(Inputs inputs)
    {
        var times = new List<double>();
        long bytes = 0;
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
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                replicas.ApplyPage(new ReplicaPage("stage", subscription.FollowActivityId, records, records.Count, false, DateTimeOffset.UtcNow));
                times.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds);
                bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
            finally { TempDirs.Delete(dir); }
        }
        times.Sort();
        return (times[1], bytes);
    }
}
