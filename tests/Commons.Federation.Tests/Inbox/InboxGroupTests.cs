using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Tests.Http;
using Commons.Federation.Tests.Support;
using Commons.Storage;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging.Abstractions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Inbox;

/// <summary>
/// The inbox stores received activities in groups (several in one transaction) and answers each only once its group is
/// committed. Real LiteDB file, real RFC 9421 signatures checked against actor documents a WireMock peer serves: nothing is
/// acknowledged that is not stored, an activity id is stored once however often and however concurrently it comes,
/// a refused signature stores nothing, and each sender's activities are stored in the order it sent them.
/// </summary>
public sealed class InboxGroupTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-inbox-groups-{Guid.NewGuid():N}");
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly CommonsDatabase _database;
    private readonly LiteInboxStore _store;
    private readonly SignedHttpClient _http;
    private readonly InboxReceiver _inbox;

    public InboxGroupTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _store = new LiteInboxStore(_database);
        var options = HttpTest.Options();
        var provider = new DomainPolicyProvider(options);
        _http = new SignedHttpClient(options, null, HttpTest.LoopbackAsPublic, new FakeResolver().Map(HttpTest.PeerHost, System.Net.IPAddress.Loopback).Resolve, provider);
        var fetcher = new RemoteActorFetcher(_http, HttpTest.Signer, new PublicKeyCache());
        _inbox = new InboxReceiver(fetcher, _store, provider, new WorkSignal(), TimeProvider.System, NullLogger<InboxReceiver>.Instance);
        foreach (var name in new[] { "alice", "bob" }) ServeActor(name);
    }

    public void Dispose()
    {
        _http.Dispose();
        _peer.Stop();
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private string Actor(string name) => _peer.PeerUrl($"/users/{name}");

    private void ServeActor(string name) =>
        _peer.Given(Request.Create().WithPath($"/users/{name}").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/activity+json").WithBody(new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
                ["id"] = Actor(name),
                ["type"] = "Person",
                ["inbox"] = Actor(name) + "/inbox",
                ["publicKey"] = new JsonObject { ["id"] = Actor(name) + "#main-key", ["owner"] = Actor(name), ["publicKeyPem"] = HttpTest.RsaPublicKeyPem },
            }.ToJsonString()));

    /// <summary>A Note from <paramref name="name"/>, signed by its key (or by <paramref name="keyOf"/>'s), received by the inbox.</summary>
    private async Task<InboxVerdict> ReceiveAsync(string name, int n, string? keyOf = null, bool tamper = false)
    {
        var body = Body(name, n);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://node.test/inbox") { Content = new StringContent(body, Encoding.UTF8, "application/activity+json") };
        await HttpSignatureSigner.SignRequestAsync(request, SignedRequests.RsaKey, Actor(keyOf ?? name) + "#main-key", HttpSignatureScheme.Rfc9421, DateTimeOffset.UtcNow);
        var signable = HttpRequestMessageAdapter.ToSignable(request);
        // A body changed after signing: the Content-Digest no longer matches.
        if (tamper) signable = SignedRequests.WithBody(signable, Body(name, n + 1_000_000));
        using var json = JsonDocument.Parse(tamper ? Body(name, n + 1_000_000) : body);
        return (await _inbox.ReceiveAsync(signable, json.RootElement, CancellationToken.None)).Verdict;
    }

    private string Body(string name, int n) => new JsonObject
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{Actor(name)}/activities/{n}",
        ["type"] = "Create",
        ["actor"] = Actor(name),
        ["object"] = new JsonObject { ["type"] = "Note", ["content"] = $"note {n}" },
    }.ToJsonString();

    [Fact]
    public async Task Concurrent_and_repeated_activities_are_each_stored_once_and_refused_signatures_store_nothing()
    {
        // 120 distinct activities, 40 of them sent twice, plus 10 signed with another actor's key and 10 changed after signing.
        var sends = Enumerable.Range(0, 120).Select(n => (Name: "alice", N: n, KeyOf: (string?)null, Tamper: false))
            .Concat(Enumerable.Range(0, 40).Select(n => (Name: "alice", N: n * 3, KeyOf: (string?)null, Tamper: false)))
            .Concat(Enumerable.Range(500, 10).Select(n => (Name: "alice", N: n, KeyOf: (string?)"bob", Tamper: false)))
            .Concat(Enumerable.Range(600, 10).Select(n => (Name: "alice", N: n, KeyOf: (string?)null, Tamper: true)))
            .OrderBy(s => (s.N * 7919) % 181).ToList();
        var verdicts = new ConcurrentBag<InboxVerdict>();

        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, _) => verdicts.Add(await ReceiveAsync(s.Name, s.N, s.KeyOf, s.Tamper)));

        Assert.Equal(120, verdicts.Count(v => v == InboxVerdict.Accepted));
        Assert.Equal(40, verdicts.Count(v => v == InboxVerdict.Duplicate));
        Assert.Equal(20, verdicts.Count(v => v == InboxVerdict.Unauthorized));
        var stored = _store.Unprocessed(1_000);
        Assert.Equal(120, stored.Count);
        Assert.Equal(Enumerable.Range(0, 120).Select(n => $"{Actor("alice")}/activities/{n}").Order(StringComparer.Ordinal), stored.Select(e => e.ActivityId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_senders_activities_are_stored_in_the_order_it_sent_them()
    {
        // Two senders at once, each sending its next activity when the previous one was answered (as a delivery queue does).
        async Task SendInOrder(string name)
        {
            for (var n = 0; n < 40; n++) Assert.Equal(InboxVerdict.Accepted, await ReceiveAsync(name, n));
        }
        await Task.WhenAll(Task.Run(() => SendInOrder("alice")), Task.Run(() => SendInOrder("bob")));

        var stored = _store.Unprocessed(1_000);
        Assert.Equal(80, stored.Count);
        // Receipt times strictly increase in the order the processor reads them.
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.True(pair.First.ReceivedAt < pair.Second.ReceivedAt));
        foreach (var name in new[] { "alice", "bob" })
            Assert.Equal(Enumerable.Range(0, 40).Select(n => $"{Actor(name)}/activities/{n}"), stored.Where(e => e.ActorUri == Actor(name)).Select(e => e.ActivityId));
    }

    [Fact]
    public async Task Activities_queued_behind_a_write_share_the_next_transaction_and_are_answered_after_it()
    {
        var gated = new GatedStore(_store);
        var writer = new InboxWriter(gated, TimeProvider.System);

        // The first write blocks in the store, so it runs on its own thread.
        var first = Task.Run(() => writer.AddAsync(Entry("first")));
        await WaitFor(() => gated.Calls == 1, "the first write to start");
        // 20 more while the first transaction is still open, one of them a repeat of another.
        var queued = Enumerable.Range(0, 20).Select(i => writer.AddAsync(Entry(i == 19 ? "q0" : $"q{i}"))).ToList();
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        gated.Release();

        Assert.True(await first);
        var results = await Task.WhenAll(queued);
        Assert.Equal(19, results.Count(stored => stored));
        Assert.False(results[19]);
        Assert.Equal(new[] { 1, 20 }, gated.GroupSizes.ToArray());
        Assert.Equal(2, writer.Groups);
        Assert.Equal(20, _store.Unprocessed(100).Count);
    }

    [Fact]
    public async Task A_group_whose_write_fails_is_not_acknowledged_and_the_next_one_is_stored()
    {
        var failing = new GatedStore(_store) { FailNext = true };
        failing.Release();
        var writer = new InboxWriter(failing, TimeProvider.System);

        var e = await Assert.ThrowsAsync<IOException>(() => writer.AddAsync(Entry("lost")));
        Assert.Equal("disk full", e.Message);
        Assert.Empty(_store.Unprocessed(10));

        Assert.True(await writer.AddAsync(Entry("lost")));
        Assert.Single(_store.Unprocessed(10));
    }

    private static InboxEntry Entry(string id) => new() { ActivityId = $"https://peer.test/activities/{id}", ActorUri = "https://peer.test/users/alice", Json = "{}" };

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 10 s for {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>The real store, whose first write waits for <see cref="Release"/>; it can fail once with a disk error.</summary>
    private sealed class GatedStore(IInboxStore inner) : IInboxStore
    {
        private readonly ManualResetEventSlim _open = new();
        private int _calls;
        public bool FailNext { get; set; }
        public int Calls => Volatile.Read(ref _calls);
        public ConcurrentQueue<int> GroupSizes { get; } = new();
        public void Release() => _open.Set();

        public IReadOnlyList<bool> TryAddMany(IReadOnlyList<InboxEntry> entries)
        {
            Interlocked.Increment(ref _calls);
            GroupSizes.Enqueue(entries.Count);
            _open.Wait(TimeSpan.FromSeconds(10));
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }
            return inner.TryAddMany(entries);
        }

        public bool TryAdd(InboxEntry entry) => inner.TryAdd(entry);
        public IReadOnlyList<InboxEntry> Unprocessed(int limit) => inner.Unprocessed(limit);
        public void MarkProcessed(string activityId, string outcome) => inner.MarkProcessed(activityId, outcome);
    }
}
