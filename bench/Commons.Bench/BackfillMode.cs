using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Actors;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Integrity;
using Commons.Federation.Replication;
using Commons.Federation.Signatures.Keys;
using Commons.Storage;
using Commons.Storage.Federation;
using LiteDB;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Bench;

/// <summary>
/// <c>-- backfill</c>: one timed run (not BenchmarkDotNet iterations — 100,000 records take minutes on 2 cores) of the
/// backfill of a public dataset from A to B on loopback, in JSON and in MessagePack (v1 activities, v2 record objects), beside the raw LiteDB insert rate
/// of the same replica documents and the raw Ed25519 verify rate, measured in the same run.
/// A: a real node store (<see cref="NodeStores"/>, records written through <c>RecordService.Create</c>), its dataset
/// actor and outbox served over HTTP by Kestrel on 127.0.0.1 with the node's own code (<see cref="BackfillFeed"/>,
/// <see cref="BackfillBatch"/>, the same page document as the node's outbox endpoint; no signed-fetch check).
/// B: the node's <see cref="BackfillClient"/> (signed GET through <see cref="SignedHttpClient"/>) and
/// <see cref="ReplicaApplier"/> (both proofs of every activity verified; the one of every record object in v2) over a real <see cref="LiteReplicaStore"/>.
/// </summary>
public static class BackfillMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        // A schema's format and pattern checks run under a wall-clock timeout (200 ms): on a machine loaded far beyond its
        // cores a check of a valid e-mail address was seen to pass it and refuse the record. Raised for the run's writes.
        Commons.Core.Schemas.SchemaLimits.PatternTimeout = TimeSpan.FromSeconds(30);
        var records = 100_000;
        var page = BackfillFeed.MaxPageSize;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records": records = int.Parse(args[++i], Inv); break;
                case "--page": page = int.Parse(args[++i], Inv); break;
                case "--keep": keep = true; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        return RunAsync(records, page, keep).GetAwaiter().GetResult();
    }

    private sealed class Origin
    {
        public required NodeStores Stores { get; init; }
        public required Dataset Dataset { get; init; }
        public required ActorKeyring Keys { get; init; }
        public ActivityUris? Uris { get; set; }
        public BackfillFeed? Feed { get; set; }
        /// <summary>The batch the origin serves when asked: none (JSON only), v1 (an origin of the previous release) or v2.</summary>
        public string? Batch { get; set; }
        public long Bytes;
        public long Pages;
        public long LargestPage;
    }

    private static async Task<int> RunAsync(int count, int pageSize, bool keep)
    {
        var load = LoadAverage();
        Console.WriteLine($"backfill benchmark: {count:N0} records, pages of {pageSize}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {load}");
        var dirA = TempDirs.New("backfill-a");
        var dirs = new List<string> { dirA };
        try
        {
            // ---- A: the dataset, written through the node's services ----
            using var stores = new NodeStores(dirA);
            var dataset = stores.EnsureOffers();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                stores.Records.Create(NodeStores.Admin, Offers.Slug, null, Offers.Element(i));
                if ((i + 1) % 20_000 == 0) Console.WriteLine($"  A: {i + 1:N0} records written ({sw.Elapsed.TotalSeconds:0} s)");
            }
            var writeSeconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"A: {count:N0} records through RecordService.Create in {writeSeconds:0.0} s ({count / writeSeconds:N0}/s)");
            var origin = new Origin { Stores = stores, Dataset = dataset, Keys = new ActorKeyring(new LiteActorKeyStore(stores.Database), TimeProvider.System) };
            var originDigest = DatasetDigest.Of(stores.RecordStore, dataset);

            await using var server = await LoopbackServer.StartAsync(app => Map(app, origin));
            origin.Uris = new ActivityUris(server.BaseUri.ToString().TrimEnd('/'));
            origin.Feed = new BackfillFeed(stores.RecordStore, stores.Feed, origin.Uris, new ObjectProofs(origin.Keys, origin.Uris, TimeProvider.System));
            var actor = origin.Uris.DatasetActor(Offers.Slug);

            // ---- B: JSON, then MessagePack v1 (proofs kept), then MessagePack v2 with proofs signed afresh, then kept ----
            var results = new List<(string Mode, double Seconds, long Bytes, long Pages, long Largest, string? ReplicaDir)>();
            var cpus = new List<double>();
            string?[] batches = [null, BackfillBatch.MediaType, BackfillBatch.RecordObjectsMediaType, BackfillBatch.RecordObjectsMediaType];
            for (var run = 0; run < batches.Length; run++)
            {
                var batch = batches[run];
                // The v2 first follower: an origin that has kept no proofs, so that it signs every record object.
                if (run == 2) origin.Feed = new BackfillFeed(stores.RecordStore, stores.Feed, origin.Uris, new ObjectProofs(origin.Keys, origin.Uris, TimeProvider.System));
                origin.Batch = batch;
                origin.Bytes = origin.Pages = origin.LargestPage = 0;
                var dirB = TempDirs.New(batch is null ? "backfill-b-json" : "backfill-b-msgpack");
                dirs.Add(dirB);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var gcBefore = GcCounts.Now();
                var (seconds, digest) = await BackfillAsync(dirB, actor, pageSize);
                var gc = GcCounts.Now() - gcBefore;
                // CPU of A and B together (one process): on a machine shared with others, steadier than the wall clock.
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
                // The origin keeps the proofs it signed (RecordProofCache): the second run is a second follower's backfill.
                var mode = run switch
                {
                    0 => "JSON, every proof signed",
                    1 => "MessagePack v1 (LZ4), proofs kept from the JSON run",
                    2 => "MessagePack v2 (record objects, one proof each), every proof signed",
                    _ => "MessagePack v2, proofs kept from the v2 run",
                };
                if (digest != originDigest) throw new InvalidOperationException($"{mode}: the replica's digest {digest} is not A's {originDigest}");
                // Cores kept busy: the CPU a record took over the wall time a record took (2.0 = both cores all the time).
                var busy = cpu / (seconds * 1e6 / count);
                Console.WriteLine($"B, {mode}: {count:N0} records in {seconds:0.0} s ({count / seconds:N0}/s), {origin.Bytes:N0} bytes in {origin.Pages} pages (largest {origin.LargestPage:N0}); digest equal to A's; CPU {cpu:0} µs a record, {busy:0.00} cores busy");
                Console.WriteLine($"  GC during it (A and B): {gc.Describe(count, seconds)}");
                results.Add((mode, seconds, origin.Bytes, origin.Pages, origin.LargestPage, dirB));
                cpus.Add(cpu);
            }

            // ---- raw LiteDB: the same replica documents ----
            List<BsonDocument> documents;
            using (var replica = CommonsDatabase.Open(results[1].ReplicaDir!))
                documents = replica.Read(() => replica.Db.GetCollection(StoreLayout.Replicas).FindAll().ToList());
            if (documents.Count != count) throw new InvalidOperationException($"the replica holds {documents.Count} documents");
            var rawOneDir = TempDirs.New("backfill-raw-one");
            var rawBulkDir = TempDirs.New("backfill-raw-bulk");
            dirs.Add(rawOneDir);
            dirs.Add(rawBulkDir);
            double rawOne, rawBulk, rawOneCpu;
            using (var db = RawLite.Open(rawOneDir))
            {
                var col = db.GetCollection("replicas");
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                sw.Restart();
                foreach (var d in documents) col.Insert(d);
                rawOne = sw.Elapsed.TotalSeconds;
                rawOneCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
            }
            double rawBulkCpu;
            using (var db = RawLite.Open(rawBulkDir))
            {
                var col = db.GetCollection("replicas");
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                sw.Restart();
                foreach (var chunk in documents.Chunk(pageSize)) col.InsertBulk(chunk);
                rawBulk = sw.Elapsed.TotalSeconds;
                rawBulkCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
            }
            Console.WriteLine($"raw LiteDB, same {count:N0} replica documents: Insert one at a time {rawOne:0.0} s ({count / rawOne:N0}/s, CPU {rawOneCpu:0} µs a record); InsertBulk by {pageSize} {rawBulk:0.0} s ({count / rawBulk:N0}/s, CPU {rawBulkCpu:0} µs a record)");

            // ---- raw Ed25519 verify (one thread), on the SHA-256 pair hash an eddsa-jcs-2022 proof signs ----
            var key = origin.Keys.For(Offers.Slug).Ed25519;
            var message = RandomNumberGenerator.GetBytes(64);
            var signature = key.Sign(HttpSignatureAlgorithm.Ed25519, message);
            var publicKey = key.PublicKey.PublicKey;
            const int verifications = 20_000;
            var verifyCpu = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            for (var i = 0; i < verifications; i++)
                if (!NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature)) throw new InvalidOperationException("verify failed");
            var verifySeconds = sw.Elapsed.TotalSeconds;
            var verifyCpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - verifyCpu).TotalMicroseconds / verifications;
            var signCpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < verifications; i++) key.Sign(HttpSignatureAlgorithm.Ed25519, message);
            var signCpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - signCpu).TotalMicroseconds / verifications;
            // The whole proof check of one record object (JCS canonicalisation + hashes + verify), for reference.
            var sample = origin.Feed.Read(dataset, 0, 1).Items[0];
            var obj = (JsonObject)sample["object"]!;
            var ed = (Ed25519VerificationKey)key.VerificationKey;
            sw.Restart();
            for (var i = 0; i < 2_000; i++)
                if (!EddsaJcs2022Cryptosuite.Verify(obj, ed).IsValid) throw new InvalidOperationException("proof failed");
            var proofSeconds = sw.Elapsed.TotalSeconds / 2_000;
            // The same check as a replica makes it (ReplicaApplier): on the parsed element, no mutable copy.
            var element = System.Text.Json.JsonSerializer.SerializeToElement(obj);
            sw.Restart();
            for (var i = 0; i < 2_000; i++)
                if (!EddsaJcs2022Cryptosuite.Verify(element, ed).IsValid) throw new InvalidOperationException("proof failed");
            var elementProofSeconds = sw.Elapsed.TotalSeconds / 2_000;
            Console.WriteLine($"raw Ed25519 verify, one thread: {verifySeconds / verifications * 1e6:0.0} µs ({verifications / verifySeconds:N0}/s); a whole eddsa-jcs-2022 check of one record object: {proofSeconds * 1e6:0} µs (JsonObject), {elementProofSeconds * 1e6:0} µs (JsonElement, as B checks it)");

            IReadOnlyList<ReplicaRecord> pageReplicas;
            using (var replica = CommonsDatabase.Open(results[1].ReplicaDir!))
                pageReplicas = new LiteReplicaStore(replica).List("bench", null, Math.Min(pageSize, count));
            var stages = BackfillStages.Print(new BackfillStages.Inputs(stores, dataset, origin.Uris, origin.Keys, new ObjectProofs(origin.Keys, origin.Uris, TimeProvider.System), ed, pageReplicas, pageReplicas.Count));

            BackfillFloor.Print(new BackfillFloor.Measured(
                VerifyMicros: verifyCpuMicros, SignMicros: signCpuMicros,
                InsertCpuMicros: rawOneCpu, InsertBulkCpuMicros: rawBulkCpu, InsertWallMicros: rawOne / count * 1e6, ReadMicros: stages[0].MicrosPerRecord,
                FirstFollower: (count / results[0].Seconds, cpus[0]), NextFollower: (count / results[1].Seconds, cpus[1]),
                FirstFollowerV2: (count / results[2].Seconds, cpus[2]), NextFollowerV2: (count / results[3].Seconds, cpus[3])));

            Console.WriteLine();
            Console.WriteLine($"Backfill of {count:N0} records A → B on loopback — {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load before {load}, after {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine($"| B fetches pages of {pageSize} as | seconds | records/s | bytes transferred (response bodies) | per record | pages | largest page |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var r in results)
                Console.WriteLine($"| {r.Mode} | {r.Seconds:0.0} | {count / r.Seconds:N0} | {r.Bytes:N0} ({r.Bytes / 1048576.0:0.0} MiB) | {r.Bytes / (double)count:N0} B | {r.Pages} | {r.Largest:N0} B |");
            Console.WriteLine($"| raw LiteDB `Insert`, one at a time (same documents) | {rawOne:0.0} | {count / rawOne:N0} | — | — | — | — |");
            Console.WriteLine($"| raw LiteDB `InsertBulk` by {pageSize} (same documents) | {rawBulk:0.0} | {count / rawBulk:N0} | — | — | — | — |");
            Console.WriteLine($"| raw Ed25519 verify, one thread (2 per record; 1 in v2) | {2.0 * count * verifySeconds / verifications:0.0} for {2 * count:N0} | {verifications / verifySeconds:N0} verifies/s | — | — | — | — |");
            Console.WriteLine($"(A wrote the records in {writeSeconds:0.0} s; a full eddsa-jcs-2022 check of one record object costs {proofSeconds * 1e6:0} µs on a JsonObject, {elementProofSeconds * 1e6:0} µs on a JsonElement as B checks it)");
            return 0;
        }
        finally
        {
            if (keep) Console.WriteLine($"kept: {string.Join(", ", dirs)}");
            else foreach (var d in dirs) TempDirs.Delete(d);
        }
    }

    private static async Task<(double Seconds, DatasetDigest.Value Digest)> BackfillAsync(string dir, string actor, int pageSize)
    {
        using var database = CommonsDatabase.Open(dir);
        var subscriptions = new LiteSubscriptionStore(database);
        var replicas = new LiteReplicaStore(database);
        var subscription = new Subscription
        {
            Id = "bench", DatasetActor = actor, Inbox = actor + "/inbox", FollowActivityId = "http://127.0.0.1/actor#follows/1",
            State = SubscriptionState.Accepted, RequestedBy = "admin", Since = DateTimeOffset.UtcNow,
        };
        subscriptions.Upsert(subscription);
        // The node's default response cap: the client sizes a page's own (BackfillClient.ResponseCap). The longer request
        // timeout is for loaded machines, where A takes seconds to build and sign a page of 1,000.
        var options = new FederationOptions { AllowPrivateNetworks = true, RequestTimeout = TimeSpan.FromMinutes(2), UserAgent = "CommonsNode-Bench/1.0" };
        using var http = new SignedHttpClient(options, TimeProvider.System);
        using var rsa = RSA.Create(2048);
        var signer = new SigningIdentity(new RsaSigningKey(rsa), "http://127.0.0.1/actor#main-key");
        var actors = new RemoteActorFetcher(http, signer, new PublicKeyCache(), TimeProvider.System);
        var applier = new ReplicaApplier(subscriptions, replicas, new ProofVerifier(actors), TimeProvider.System);
        var client = new BackfillClient(subscriptions, actors, http, signer, applier, new RetrySchedule(), TimeProvider.System, NullLogger<BackfillClient>.Instance) { PageSize = pageSize };

        var sw = Stopwatch.StartNew();
        var stalls = 0;
        while (subscriptions.Find(subscription.Id) is { BackfillDone: false } s)
        {
            if (await client.RunOnceAsync(CancellationToken.None) == 0 && ++stalls > 3)
                throw new InvalidOperationException($"the backfill stalled at {s.BackfillAfter}");
        }
        var seconds = sw.Elapsed.TotalSeconds;
        if (replicas.Count(subscription.Id) == 0)
        {
            // Say why: what the applier answers to the first activity of the feed.
            var response = await http.GetAsync(new Uri($"{actor}/outbox?page=0&limit=1"), signer, "application/activity+json", CancellationToken.None);
            var first = BackfillBatch.DecodeJson(response.Body).Items.FirstOrDefault();
            throw new InvalidOperationException($"nothing applied; the first activity: {await applier.ApplyAsync(subscription, first, CancellationToken.None)}");
        }
        return (seconds, DatasetDigest.Of(replicas.Revisions(subscription.Id)));
    }

    /// <summary>A's dataset actor and outbox, as the node's federation endpoints answer them (without the signed-fetch check).</summary>
    private static void Map(WebApplication app, Origin origin)
    {
        app.MapGet("/datasets/{slug}", (string slug) =>
        {
            if (slug != origin.Dataset.Slug) return Results.NotFound();
            var doc = ActorDocuments.DatasetActor(origin.Dataset, origin.Uris!, origin.Keys.PublicKeysOf(slug));
            return Results.Text(doc.ToJsonString(), "application/activity+json");
        });
        app.MapGet("/datasets/{slug}/outbox", (HttpContext http, string slug, long? page, int? limit) =>
        {
            if (slug != origin.Dataset.Slug || page is null) return Results.NotFound();
            ReadOnlyMemory<byte> body;
            string type;
            // As the node's outbox negotiates it, but only up to the version this run's origin knows.
            var asked = BackfillBatch.Negotiate(http.Request.Headers.Accept.ToString());
            if (origin.Batch == BackfillBatch.RecordObjectsMediaType && asked == BackfillBatch.RecordObjectsMediaType)
            {
                body = BackfillBatch.Encode(origin.Feed!.ReadRecordObjects(origin.Dataset, page.Value, limit ?? BackfillFeed.DefaultPageSize));
                type = BackfillBatch.RecordObjectsMediaType;
            }
            else if (origin.Batch is not null && asked is not null)
            {
                body = BackfillBatch.Encode(origin.Feed!.Read(origin.Dataset, page.Value, limit ?? BackfillFeed.DefaultPageSize));
                type = BackfillBatch.MediaType;
            }
            else
            {
                var result = origin.Feed!.Read(origin.Dataset, page.Value, limit ?? BackfillFeed.DefaultPageSize);
                body = BackfillPageJson.Write(result, origin.Uris!.DatasetOutbox(slug), page.Value); // as the node's outbox writes it
                type = BackfillPageJson.ContentType;
            }
            Interlocked.Add(ref origin.Bytes, body.Length);
            Interlocked.Increment(ref origin.Pages);
            if (body.Length > Interlocked.Read(ref origin.LargestPage)) Interlocked.Exchange(ref origin.LargestPage, body.Length);
            return Results.Bytes(body, type);
        });
    }

    private static string LoadAverage()
    {
        try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
