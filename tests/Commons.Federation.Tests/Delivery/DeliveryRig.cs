using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Storage;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Federation.Tests.Delivery;

/// <summary>A clock the tests move by hand (thread-safe: deliveries read it from several threads).</summary>
internal sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void SetTo(DateTimeOffset at) => Interlocked.Exchange(ref _ticks, at.UtcTicks);
}

/// <summary>
/// The node's delivery path as the node wires it, on a real LiteDB file in a temporary folder: <see cref="LiteDeliveryQueue"/>,
/// <see cref="LiteFollowerStore"/>, <see cref="ActorKeyring"/> over <see cref="LiteActorKeyStore"/>, the real
/// <see cref="SignedHttpClient"/> (private networks allowed, so 127.0.0.1 peers are reachable), <see cref="SignedActivitySender"/>
/// and <see cref="DeliveryProcessor"/> with the default <see cref="RetrySchedule"/>, all on a <see cref="FakeClock"/>.
/// </summary>
internal sealed class DeliveryRig : IDisposable
{
    public const string Sender = "offers";
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-delivery-tests-{Guid.NewGuid():N}");

    public DeliveryRig(Action<FederationOptions>? configure = null, int? maxParallel = null, Func<IDeliveryQueue, IDeliveryQueue>? processorQueue = null,
        ILogger<DeliveryProcessor>? log = null)
    {
        Options = new FederationOptions { AllowPrivateNetworks = true, RequestTimeout = TimeSpan.FromSeconds(5), UserAgent = "CommonsNode-DeliveryTests/1.0" };
        configure?.Invoke(Options);
        Database = CommonsDatabase.Open(_directory);
        Queue = new LiteDeliveryQueue(Database);
        Followers = new LiteFollowerStore(Database);
        Keys = new ActorKeyring(new LiteActorKeyStore(Database), Clock);
        Http = new SignedHttpClient(Options, Clock);
        Outbox = new Outbox(Queue, Signal, Clock);
        Processor = new DeliveryProcessor(processorQueue?.Invoke(Queue) ?? Queue, Followers, Keys, new SignedActivitySender(Http, Clock), KeyIdOf, Schedule, Clock,
            log ?? NullLogger<DeliveryProcessor>.Instance) { MaxParallel = maxParallel ?? 16 };
    }

    public FakeClock Clock { get; } = new(Start);
    public FederationOptions Options { get; }
    public CommonsDatabase Database { get; }
    public LiteDeliveryQueue Queue { get; }
    public LiteFollowerStore Followers { get; }
    public ActorKeyring Keys { get; }
    public SignedHttpClient Http { get; }
    public WorkSignal Signal { get; } = new();
    public Outbox Outbox { get; }
    public RetrySchedule Schedule { get; } = new();
    public DeliveryProcessor Processor { get; }

    public static string KeyIdOf(string sender) => $"https://node.test/datasets/{sender}#main-key";

    /// <summary>What a peer verifies with: the public key of the sender named by the keyId.</summary>
    public HttpSignatureVerifier PeerVerifier() => new((keyId, _) => Task.FromResult<VerificationKey?>(
        keyId == KeyIdOf(Sender) ? Keys.For(Sender).Rsa.VerificationKey : null), Clock);

    public static JsonObject Activity(string id = "https://node.test/datasets/offers/changes/1") => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = id,
        ["type"] = "Create",
        ["actor"] = "https://node.test/datasets/offers",
        ["object"] = new JsonObject { ["type"] = "Note", ["id"] = "https://node.test/datasets/offers/records/r1", ["content"] = "Salle à prêter le mardi" },
    };

    /// <summary>Enqueues one activity to each inbox (through the <see cref="Outbox"/>, as the node does); returns the items.</summary>
    public IReadOnlyList<DeliveryItem> Enqueue(params string[] inboxes)
    {
        var items = Outbox.Items(Sender, Activity(), inboxes).ToList();
        Queue.Enqueue(items);
        return items;
    }

    public Task<int> RunOnceAsync() => Processor.RunOnceAsync(CancellationToken.None);

    public void Dispose()
    {
        Http.Dispose();
        Database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The real queue, with <see cref="IDeliveryQueue.Due"/> reordered by <paramref name="first"/> (true first, order otherwise kept):
/// lets a test hand the processor the worst order, since the LiteDB queue's own order of due items is not specified.
/// </summary>
internal sealed class ReorderedQueue(IDeliveryQueue inner, Func<DeliveryItem, bool> first) : DelegatingQueue(inner)
{
    public override IReadOnlyList<DeliveryItem> Due(DateTimeOffset now, int limit) => base.Due(now, limit).OrderBy(d => first(d) ? 0 : 1).ToList();
}

/// <summary>The real queue behind a test's decorator: every member forwards (the batched removal included), and a test
/// overrides only what it watches or changes.</summary>
internal abstract class DelegatingQueue(IDeliveryQueue inner) : IDeliveryQueue
{
    public virtual IReadOnlyList<DeliveryItem> Due(DateTimeOffset now, int limit) => inner.Due(now, limit);
    public void Enqueue(IEnumerable<DeliveryItem> items) => inner.Enqueue(items);
    public DeliveryItem? Find(string id) => inner.Find(id);
    public virtual void Complete(string id) => inner.Complete(id);
    public virtual void Complete(IReadOnlyCollection<string> ids) => inner.Complete(ids);
    public void Update(DeliveryItem item) => inner.Update(item);
    public IReadOnlyList<DeliveryItem> List(bool dead, int limit) => inner.List(dead, limit);
    public long CountPending() => inner.CountPending();
    public IReadOnlyList<DeliveryItem> Page(bool dead, int offset, int limit) => inner.Page(dead, offset, limit);
    public long CountDead() => inner.CountDead();
    public long CountRetrying() => inner.CountRetrying();
    public bool Discard(string id) => inner.Discard(id);
    public int BringForward(string authority, DateTimeOffset now) => inner.BringForward(authority, now);
    public long FanOutCursor(string datasetSlug) => inner.FanOutCursor(datasetSlug);
    public void EnqueueFanOut(string datasetSlug, long seq, IEnumerable<DeliveryItem> items) => inner.EnqueueFanOut(datasetSlug, seq, items);
}
