using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Storage;
using Commons.Storage.Federation;
using LiteDB;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Bench;

/// <summary>
/// <c>-- ingest</c>: the inbox's request path (<see cref="InboxReceiver.ReceiveAsync"/>: parse checks, RFC 9421 signature and
/// Content-Digest verified against the sender's RSA-2048 key, key owner = actor, de-duplication, store in the LiteDB inbox)
/// over activities pre-signed by one remote actor whose document a loopback Kestrel server serves, many requests at a time
/// (as many peers delivering at once). Each round measures, one after the other on the same machine: ours; the machine's
/// verify limit (RSA-2048 PKCS#1 SHA-256 verification of as many signatures, all cores); and its store limit (raw LiteDB
/// <c>Insert</c>, one at a time, of as many inbox documents of the same shape and size, with the inbox's index). The ratio
/// is ours ÷ the lower of the two limits. Median of the rounds.
/// </summary>
public static class IngestMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        int activities = 2_000, rounds = 5, concurrency = 64;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--activities": activities = int.Parse(args[++i], Inv); break;
                case "--rounds": rounds = int.Parse(args[++i], Inv); break;
                case "--concurrency": concurrency = int.Parse(args[++i], Inv); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        return RunAsync(activities, rounds, concurrency).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count, int rounds, int concurrency)
    {
        var load = Load();
        Console.WriteLine($"inbox ingest: {count:N0} activities a round, {rounds} rounds, {concurrency} requests at a time, {Environment.ProcessorCount} cores, load {load}");
        using var remote = RSA.Create(2048);
        var remoteKey = new RsaSigningKey(Copy(remote));
        var pem = remote.ExportSubjectPublicKeyInfoPem();
        string actor = "", keyId = "";
        await using var actorServer = await LoopbackServer.StartAsync(app => app.MapGet("/users/bench", () => Results.Text(ActorDocument(actor, keyId, pem), "application/activity+json")));
        actor = actorServer.Url("users/bench");
        keyId = actor + "#main-key";

        using var dir = new TempDir("ingest");
        using var db = CommonsDatabase.Open(dir.Path);
        var options = new FederationOptions { AllowPrivateNetworks = true };
        using var http = new SignedHttpClient(options, TimeProvider.System);
        var nodeKeys = new Commons.Federation.Actors.ActorKeyring(new LiteActorKeyStore(db), TimeProvider.System);
        var fetcher = new RemoteActorFetcher(http, new SigningIdentity(nodeKeys.For(Commons.Federation.Actors.ActorKeyring.NodeActor).Rsa, "http://127.0.0.1:5081/actor#main-key"),
            new PublicKeyCache(), TimeProvider.System);
        var receiver = new InboxReceiver(fetcher, new LiteInboxStore(db), new DomainPolicyProvider(options), new WorkSignal(), TimeProvider.System, NullLogger<InboxReceiver>.Instance);

        // The activity a peer sends: a dataset Create of the benchmark's realistic "offers" record, from the remote actor.
        JsonObject template;
        using (var scratchDir = new TempDir("ingest-activity"))
        using (var scratch = new NodeStores(scratchDir.Path))
        {
            var dataset = scratch.EnsureOffers();
            var (record, change) = scratch.Records.Create(NodeStores.Admin, Offers.Slug, "r1", Offers.Element(1));
            template = DatasetActivities.ForChange(dataset, change!, record, new ActivityUris("http://127.0.0.1:5081"))!;
            template["actor"] = actor;
        }
        var buffer = Encoding.UTF8.GetBytes(template.ToJsonString());
        var signature = remote.SignData(buffer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var publicKey = remote.ExportRSAPublicKey();
        using var verifiers = new ThreadLocal<RSA>(() => { var r = RSA.Create(); r.ImportRSAPublicKey(publicKey, out _); return r; });

        var ours = new List<double>();
        var verify = new List<double>();
        var insert = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            // ---- ours (round 0 warms up: JIT, the actor fetch, the file's first pages) ----
            var signed = Sign(template, remoteKey, actor, keyId, round, count);
            db.Read(() => db.Db.Checkpoint());
            var refused = 0;
            var sw = Stopwatch.StartNew();
            await Parallel.ForEachAsync(signed, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (s, ct) =>
            {
                if ((await receiver.ReceiveAsync(s.Message, s.Body, ct)).Verdict != InboxVerdict.Accepted) Interlocked.Increment(ref refused);
            });
            var oursSeconds = sw.Elapsed.TotalSeconds;
            if (refused > 0) throw new InvalidOperationException($"{refused} activities were not accepted");

            // ---- the machine's limits, right after ----
            sw.Restart();
            Parallel.For(0, count, _ =>
            {
                if (!verifiers.Value!.VerifyData(buffer, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) throw new CryptographicException("bad signature");
            });
            var verifySeconds = sw.Elapsed.TotalSeconds;
            var insertSeconds = RawInsert(signed, actor, round);
            if (round == 0) continue;
            ours.Add(count / oursSeconds);
            verify.Add(count / verifySeconds);
            insert.Add(count / insertSeconds);
            Console.WriteLine($"  round {round}: ours {count / oursSeconds:N0}/s, verify all cores {count / verifySeconds:N0}/s, raw Insert {count / insertSeconds:N0}/s, " +
                $"ratio {count / oursSeconds / Math.Min(count / verifySeconds, count / insertSeconds):P1}, load {Load()}");
        }
        var groups = receiver.GetType().GetProperty("StoredGroups")?.GetValue(receiver);
        var (o, v, n) = (Median(ours), Median(verify), Median(insert));
        Console.WriteLine();
        Console.WriteLine($"Inbox ingest, {count:N0} signed activities a round, {concurrency} at a time — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load before {load}, after {Load()}");
        Console.WriteLine();
        Console.WriteLine("| measure (median of rounds) | activities/s | ours as % of it |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| ours: `InboxReceiver.ReceiveAsync` (verify + store) | {o:N0} | — |");
        Console.WriteLine($"| raw RSA-2048 verify, all cores | {v:N0} | {o / v:P1} |");
        Console.WriteLine($"| raw LiteDB `Insert` one at a time, same inbox documents | {n:N0} | {o / n:P1} |");
        Console.WriteLine($"| **ours ÷ the lower limit** | | **{o / Math.Min(v, n):P1}** |");
        Console.WriteLine($"(transactions written by the inbox: {groups ?? "not counted by this build"}, for {(rounds + 1) * count:N0} activities)");
        return 0;
    }

    private static (SignableHttpMessage Message, JsonElement Body)[] Sign(JsonObject template, RsaSigningKey key, string actor, string keyId, int round, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var signed = new (SignableHttpMessage, JsonElement)[count];
        Parallel.For(0, count, i =>
        {
            var activity = template.DeepClone().AsObject();
            activity["id"] = $"{actor}/activities/{round}-{i}";
            var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
            using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5081/inbox") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/activity+json");
            HttpSignatureSigner.SignRequest(request, key, keyId, HttpSignatureScheme.Rfc9421, now);
            signed[i] = (HttpRequestMessageAdapter.ToSignable(request), JsonDocument.Parse(body).RootElement.Clone());
        });
        return signed;
    }

    /// <summary>Raw LiteDB: the same activities as inbox documents (the fields the inbox writes), one Insert each, into a fresh file.</summary>
    private static double RawInsert((SignableHttpMessage Message, JsonElement Body)[] signed, string actor, int round)
    {
        using var dir = new TempDir("ingest-raw");
        using var raw = RawLite.Open(dir.Path);
        var col = raw.GetCollection("inbox");
        col.EnsureIndex("processed");
        var documents = signed.Select(s => new BsonDocument
        {
            ["_id"] = AsJson.Id(s.Body, "id"), ["actor"] = actor, ["json"] = s.Body.GetRawText(), ["received"] = DateTime.UtcNow.Ticks,
            ["processed"] = false, ["outcome"] = BsonValue.Null,
        }).ToList();
        var sw = Stopwatch.StartNew();
        foreach (var d in documents) col.Insert(d);
        return sw.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static RSA Copy(RSA rsa)
    {
        var copy = RSA.Create();
        copy.ImportRSAPrivateKey(rsa.ExportRSAPrivateKey(), out _);
        return copy;
    }

    private static string ActorDocument(string actor, string keyId, string pem) => new JsonObject
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = actor,
        ["type"] = "Service",
        ["preferredUsername"] = "bench",
        ["inbox"] = actor + "/inbox",
        ["outbox"] = actor + "/outbox",
        ["publicKey"] = new JsonObject { ["id"] = keyId, ["owner"] = actor, ["publicKeyPem"] = pem },
    }.ToJsonString();

    private static string Load()
    {
        try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
