using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Actors;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Storage;
using Commons.Storage.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Bench;

/// <summary>
/// Federation next to raw RSA-2048 on the same machine, in the same run:
/// <list type="bullet">
/// <item>fan-out: one change delivered to 1,000 follower inboxes (10 Kestrel sink servers on 127.0.0.1 × 100 inbox paths,
/// answering 202; every 50th request's signature and digest verified by the sink) through the real
/// <see cref="DeliveryProcessor"/> → <see cref="SignedActivitySender"/> → <see cref="SignedHttpClient"/> (RFC 9421, per-host
/// limit 4, 16 workers) on the LiteDB queue, run until the queue is empty; beside RSA-2048 PKCS#1 SHA-256 signing of a
/// 1 KiB buffer on all cores (the machine's signing limit: every delivery signs once);</item>
/// <item>inbox ingest: <see cref="InboxReceiver.ReceiveAsync"/> over pre-signed RFC 9421 requests (one remote RSA key whose actor
/// document a loopback server serves; fetched once, then cached) storing into the LiteDB inbox, 2 × cores requests at a time;
/// beside RSA-2048 verification on all cores (every activity verifies once).</item>
/// </list>
/// One-thread sign and verify rates are measured too, for reference. Figures are per delivery / per activity / per operation.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
public class FederationBenchmarks
{
    public const string FanOut = "fan-out, 1 change to 1,000 inboxes (per delivery)";
    public const string Ingest = "inbox ingest, signed activities (per activity)";
    public const string SignOneThread = "RSA-2048 sign, one thread (reference)";
    public const string VerifyOneThread = "RSA-2048 verify, one thread (reference)";

    public const int Inboxes = 1_000;
    public const int SinkServers = 10;
    public const int ActivitiesPerIteration = 1_000;
    /// <summary>Signatures or verifications per invocation of the all-cores raw benchmarks.</summary>
    public const int RawBatch = 256;
    private const int VerifyEvery = 50;

    // ---- fan-out
    private string? _deliveryDir;
    private NodeStores? _node;
    private LiteDeliveryQueue? _queue;
    private DeliveryProcessor? _processor, _processorOneWrite;
    private SignedHttpClient? _deliveryHttp;
    private Outbox? _outbox;
    private JsonObject? _activity;
    private readonly List<LoopbackServer> _sinks = [];
    private string[] _inboxUrls = [];
    private int _sinkReceived, _sinkVerified, _sinkRefused;

    // ---- ingest
    private string? _ingestDir;
    private CommonsDatabase? _ingestDb;
    private LoopbackServer? _actorServer;
    private SignedHttpClient? _ingestHttp;
    private InboxReceiver? _receiver;
    private RsaSigningKey? _remoteKey;
    private string _remoteActor = "", _remoteKeyId = "";
    private byte[] _activityTemplate = [];
    private (SignableHttpMessage Message, JsonElement Body)[] _signed = [];
    private int _actorFetches, _batch;

    // ---- raw
    private RSA? _rsa;
    private byte[] _buffer = [];
    private byte[] _signature = [];
    private ThreadLocal<RSA>? _signers, _verifiers;

    // ================================================================ fan-out

    [GlobalSetup(Targets = new[] { nameof(Ours_Deliver), nameof(Ours_Deliver_OneWriteEach) })]
    public void SetupDelivery()
    {
        _deliveryDir = TempDirs.New("delivery");
        _node = new NodeStores(_deliveryDir);
        var dataset = _node.EnsureOffers();
        var (record, change) = _node.Records.Create(NodeStores.Admin, Offers.Slug, "r1", Offers.Element(1));
        var uris = new ActivityUris("http://127.0.0.1:5081");
        _activity = DatasetActivities.ForChange(dataset, change!, record, uris)!;

        var keys = new ActorKeyring(new LiteActorKeyStore(_node.Database), TimeProvider.System);
        var verifier = new HttpSignatureVerifier((keyId, _) => Task.FromResult<VerificationKey?>(
            keyId == uris.DatasetMainKey(Offers.Slug) ? keys.For(Offers.Slug).Rsa.VerificationKey : null), TimeProvider.System);
        for (var s = 0; s < SinkServers; s++)
        {
            _sinks.Add(LoopbackServer.StartAsync(app => app.MapPost("/inbox/{n:int}", async (HttpContext http) =>
            {
                var n = Interlocked.Increment(ref _sinkReceived);
                if (n % VerifyEvery == 0)
                {
                    var result = await verifier.VerifyAsync(await LoopbackServer.ToSignableAsync(http.Request));
                    Interlocked.Increment(ref result.IsValid ? ref _sinkVerified : ref _sinkRefused);
                    return Results.StatusCode(result.IsValid ? 202 : 401);
                }
                await http.Request.Body.CopyToAsync(Stream.Null);
                return Results.StatusCode(202);
            })).GetAwaiter().GetResult());
        }
        _inboxUrls = Enumerable.Range(0, Inboxes).Select(i => _sinks[i % SinkServers].Url($"inbox/{i / SinkServers}")).ToArray();

        _queue = new LiteDeliveryQueue(_node.Database);
        _outbox = new Outbox(_queue, new WorkSignal(), TimeProvider.System);
        _deliveryHttp = new SignedHttpClient(new FederationOptions { AllowPrivateNetworks = true }, TimeProvider.System);
        _processor = new DeliveryProcessor(_queue, new LiteFollowerStore(_node.Database), keys, new SignedActivitySender(_deliveryHttp, TimeProvider.System),
            sender => uris.DatasetMainKey(sender), new RetrySchedule(), TimeProvider.System, NullLogger<DeliveryProcessor>.Instance);
        // The same processor removing each delivered item in its own write, as before batching: the before beside the after.
        _processorOneWrite = new DeliveryProcessor(_queue, new LiteFollowerStore(_node.Database), keys, new SignedActivitySender(_deliveryHttp, TimeProvider.System),
            sender => uris.DatasetMainKey(sender), new RetrySchedule(), TimeProvider.System, NullLogger<DeliveryProcessor>.Instance) { CompleteBatchSize = 1 };
        keys.For(Offers.Slug); // the dataset's key pair exists before the first measurement
        WarmUpDelivery();
    }

    /// <summary>Rounds of 1,000 deliveries run at least before any measurement (see <see cref="WarmUpDelivery"/>).</summary>
    public const int DeliveryWarmUpRounds = 12;

    /// <summary>Warm-up rounds at most: the JIT may never quite settle on a loaded machine.</summary>
    public const int DeliveryWarmUpRoundsMax = 60;

    /// <summary>A round of 1,000 deliveries that spends less than this in the JIT counts as compiled (under 2 % of its CPU).</summary>
    private static readonly TimeSpan SettledJitPerRound = TimeSpan.FromMilliseconds(10);

    /// <summary>Warm-up rounds the last set-up ran (printed by the drivers).</summary>
    public int WarmUpRoundsRun { get; private set; }

    /// <summary>
    /// The delivery path (HttpClient, Kestrel, LiteDB, signing) is JIT-compiled and then recompiled hotter (tier 1, with
    /// profile-guided optimisation) over its first ~10,000–25,000 deliveries: the runtime's one background compiler works
    /// through a backlog of thousands of methods on the same two cores, and more slowly the busier the machine. Twelve
    /// fixed rounds left 100–900 ms of compilation in each of the first measured rounds of 1,000 at load 20–30 (counted with
    /// <see cref="System.Runtime.JitInfo"/>), while the raw signing loop it is compared with is warm after a few calls. A
    /// node that fans out has long passed this point, so the warm-up runs at least <see cref="DeliveryWarmUpRounds"/>
    /// rounds and then until two rounds in a row compile for less than <see cref="SettledJitPerRound"/>.
    /// </summary>
    private void WarmUpDelivery()
    {
        var settled = 0;
        var round = 0;
        while (round < DeliveryWarmUpRoundsMax && (round < DeliveryWarmUpRounds || settled < 2))
        {
            var jit = System.Runtime.JitInfo.GetCompilationTime();
            EnqueueOneChange();
            DeliverAll(_processor!).GetAwaiter().GetResult();
            settled = System.Runtime.JitInfo.GetCompilationTime() - jit < SettledJitPerRound ? settled + 1 : 0;
            round++;
        }
        WarmUpRoundsRun = round;
        Console.WriteLine($"// fan-out warm-up: {round} rounds of {Inboxes:N0} deliveries before measuring{(settled < 2 ? " (the JIT had not settled)" : "")}");
    }

    [IterationSetup(Targets = new[] { nameof(Ours_Deliver), nameof(Ours_Deliver_OneWriteEach) })]
    public void EnqueueOneChange()
    {
        _queue!.Enqueue(_outbox!.Items(Offers.Slug, _activity!, _inboxUrls));
        _node!.Database.Read(() => _node.Database.Db.Checkpoint());
    }

    [Benchmark(OperationsPerInvoke = Inboxes, Description = "ours: DeliveryProcessor until the queue is empty"), BenchmarkCategory(FanOut)]
    public Task Ours_Deliver() => DeliverAll(_processor!);

    [Benchmark(OperationsPerInvoke = Inboxes, Description = "ours, one queue write per delivery (before batching)"), BenchmarkCategory(FanOut)]
    public Task Ours_Deliver_OneWriteEach() => DeliverAll(_processorOneWrite!);

    /// <summary>
    /// Rounds until one finds nothing due, then checks once that nothing is left or dead (a failed delivery is rescheduled
    /// or dead, so the queue is not empty). The check used to run after every round: counting the queue reads every
    /// document in LiteDB, which put about 1.5 % of the run's CPU into the harness.
    /// </summary>
    private async Task DeliverAll(DeliveryProcessor processor)
    {
        while (await processor.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
        if (_queue!.CountPending() > 0 || _queue.List(dead: true, 1).Count > 0)
            throw new InvalidOperationException($"A delivery failed: {_queue.List(dead: false, 1).Concat(_queue.List(dead: true, 1)).FirstOrDefault()?.LastError}");
    }

    [GlobalCleanup(Targets = new[] { nameof(Ours_Deliver), nameof(Ours_Deliver_OneWriteEach) })]
    public void CleanupDelivery()
    {
        Console.WriteLine($"// sinks: {_sinkReceived} deliveries received, {_sinkVerified} signatures verified on the sink, {_sinkRefused} refused");
        foreach (var sink in _sinks) sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sinks.Clear();
        _deliveryHttp?.Dispose();
        _node?.Dispose();
        TempDirs.Delete(_deliveryDir);
        if (_sinkRefused > 0) throw new InvalidOperationException($"{_sinkRefused} deliveries failed the sink's signature check.");
    }

    // ================================================================ ingest

    [GlobalSetup(Target = nameof(Ours_Ingest))]
    public void SetupIngest()
    {
        using var remote = RSA.Create(2048);
        _remoteKey = new RsaSigningKey(CopyOf(remote));
        var pem = remote.ExportSubjectPublicKeyInfoPem();
        _actorServer = LoopbackServer.StartAsync(app => app.MapGet("/users/bench", () =>
        {
            Interlocked.Increment(ref _actorFetches);
            return Results.Text(ActorDocument(pem), "application/activity+json");
        })).GetAwaiter().GetResult();
        _remoteActor = _actorServer.Url("users/bench");
        _remoteKeyId = _remoteActor + "#main-key";

        _ingestDir = TempDirs.New("ingest");
        _ingestDb = CommonsDatabase.Open(_ingestDir);
        var options = new FederationOptions { AllowPrivateNetworks = true };
        _ingestHttp = new SignedHttpClient(options, TimeProvider.System);
        var nodeKeys = new ActorKeyring(new LiteActorKeyStore(_ingestDb), TimeProvider.System);
        var nodeSigner = new SigningIdentity(nodeKeys.For(ActorKeyring.NodeActor).Rsa, "http://127.0.0.1:5081/actor#main-key");
        var fetcher = new RemoteActorFetcher(_ingestHttp, nodeSigner, new PublicKeyCache(), TimeProvider.System);
        _receiver = new InboxReceiver(fetcher, new LiteInboxStore(_ingestDb), new DomainPolicyProvider(options), new WorkSignal(), TimeProvider.System,
            NullLogger<InboxReceiver>.Instance);

        // The activity a peer sends: a dataset Create of a realistic record (the bench's "offers" sample), from the remote actor.
        var uris = new ActivityUris("http://127.0.0.1:5081");
        using var scratchDir = new TempDir("ingest-activity");
        using var scratch = new NodeStores(scratchDir.Path);
        var dataset = scratch.EnsureOffers();
        var (record, change) = scratch.Records.Create(NodeStores.Admin, Offers.Slug, "r1", Offers.Element(1));
        var activity = DatasetActivities.ForChange(dataset, change!, record, uris)!;
        activity["actor"] = _remoteActor;
        _activityTemplate = Encoding.UTF8.GetBytes(activity.ToJsonString());
    }

    private static RSA CopyOf(RSA rsa)
    {
        var copy = RSA.Create();
        copy.ImportRSAPrivateKey(rsa.ExportRSAPrivateKey(), out _);
        return copy;
    }

    private string ActorDocument(string pem) => new JsonObject
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = _remoteActor,
        ["type"] = "Service",
        ["preferredUsername"] = "bench",
        ["inbox"] = _remoteActor + "/inbox",
        ["outbox"] = _remoteActor + "/outbox",
        ["publicKey"] = new JsonObject { ["id"] = _remoteKeyId, ["owner"] = _remoteActor, ["publicKeyPem"] = pem },
    }.ToJsonString();

    /// <summary>1,000 fresh activities (new ids), each signed (RFC 9421) as the peer would send it; not measured.</summary>
    [IterationSetup(Target = nameof(Ours_Ingest))]
    public void SignActivities()
    {
        var batch = Interlocked.Increment(ref _batch);
        var template = JsonNode.Parse(_activityTemplate)!.AsObject();
        var now = DateTimeOffset.UtcNow;
        _signed = new (SignableHttpMessage, JsonElement)[ActivitiesPerIteration];
        Parallel.For(0, ActivitiesPerIteration, i =>
        {
            var activity = template.DeepClone().AsObject();
            activity["id"] = $"{_remoteActor}/activities/{batch}-{i}";
            var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
            using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5081/inbox") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/activity+json");
            HttpSignatureSigner.SignRequest(request, _remoteKey!, _remoteKeyId, HttpSignatureScheme.Rfc9421, now);
            _signed[i] = (HttpRequestMessageAdapter.ToSignable(request), JsonDocument.Parse(body).RootElement.Clone());
        });
        _ingestDb!.Read(() => _ingestDb.Db.Checkpoint());
    }

    [Benchmark(OperationsPerInvoke = ActivitiesPerIteration, Description = "ours: InboxReceiver.ReceiveAsync (verify + store)"), BenchmarkCategory(Ingest)]
    public async Task Ours_Ingest()
    {
        var refused = 0;
        await Parallel.ForEachAsync(_signed, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 }, async (s, ct) =>
        {
            var result = await _receiver!.ReceiveAsync(s.Message, s.Body, ct);
            if (result.Verdict != InboxVerdict.Accepted) Interlocked.Increment(ref refused);
        });
        if (refused > 0) throw new InvalidOperationException($"{refused} activities were not accepted.");
    }

    [GlobalCleanup(Target = nameof(Ours_Ingest))]
    public void CleanupIngest()
    {
        Console.WriteLine($"// actor server: the remote actor was fetched {_actorFetches} time(s)");
        _actorServer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _ingestHttp?.Dispose();
        _ingestDb?.Dispose();
        TempDirs.Delete(_ingestDir);
    }

    // ================================================================ raw RSA-2048

    [GlobalSetup(Targets = new[] { nameof(Raw_SignAllCores), nameof(Raw_VerifyAllCores), nameof(Raw_SignOneThread), nameof(Raw_VerifyOneThread) })]
    public void SetupRaw()
    {
        _rsa = RSA.Create(2048);
        _buffer = new byte[1024];
        new Random(42).NextBytes(_buffer);
        _signature = _rsa.SignData(_buffer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var privateKey = _rsa.ExportRSAPrivateKey();
        var publicKey = _rsa.ExportRSAPublicKey();
        _signers = new ThreadLocal<RSA>(() => { var r = RSA.Create(); r.ImportRSAPrivateKey(privateKey, out _); return r; });
        _verifiers = new ThreadLocal<RSA>(() => { var r = RSA.Create(); r.ImportRSAPublicKey(publicKey, out _); return r; });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RawBatch, Description = "raw: RSA.SignData, 2048-bit PKCS#1 SHA-256, 1 KiB, all cores"), BenchmarkCategory(FanOut)]
    public void Raw_SignAllCores() =>
        Parallel.For(0, RawBatch, _ => _signers!.Value!.SignData(_buffer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    [Benchmark(Baseline = true, OperationsPerInvoke = RawBatch, Description = "raw: RSA.VerifyData, 2048-bit PKCS#1 SHA-256, 1 KiB, all cores"), BenchmarkCategory(Ingest)]
    public void Raw_VerifyAllCores() =>
        Parallel.For(0, RawBatch, _ =>
        {
            if (!_verifiers!.Value!.VerifyData(_buffer, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) throw new CryptographicException("bad signature");
        });

    [Benchmark(Baseline = true, Description = "raw: RSA.SignData, one thread"), BenchmarkCategory(SignOneThread)]
    public byte[] Raw_SignOneThread() => _rsa!.SignData(_buffer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Baseline = true, Description = "raw: RSA.VerifyData, one thread"), BenchmarkCategory(VerifyOneThread)]
    public bool Raw_VerifyOneThread() => _rsa!.VerifyData(_buffer, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [GlobalCleanup(Targets = new[] { nameof(Raw_SignAllCores), nameof(Raw_VerifyAllCores), nameof(Raw_SignOneThread), nameof(Raw_VerifyOneThread) })]
    public void CleanupRaw()
    {
        _signers?.Dispose();
        _verifiers?.Dispose();
        _rsa?.Dispose();
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempDir(string what) : IDisposable
{
    public string Path { get; } = TempDirs.New(what);

    public void Dispose() => TempDirs.Delete(Path);
}
