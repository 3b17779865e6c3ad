using System.Diagnostics;
using System.Globalization;
using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Tests.Http;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// The delivery queue against WireMock.Net peers on 127.0.0.1: real LiteDB queue, real signed HTTP client, a fake clock.
/// Backoff is checked by moving the clock, never by waiting.
/// </summary>
public sealed class DeliveryProcessorTests : IDisposable
{
    private readonly List<WireMockServer> _peers = [];
    private readonly List<DeliveryRig> _rigs = [];

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Stop();
        foreach (var rig in _rigs) rig.Dispose();
    }

    private WireMockServer Peer()
    {
        var peer = HttpTest.StartPeer();
        _peers.Add(peer);
        return peer;
    }

    private DeliveryRig Rig(Action<Commons.Federation.Http.FederationOptions>? configure = null)
    {
        var rig = new DeliveryRig(configure);
        _rigs.Add(rig);
        return rig;
    }

    /// <summary>
    /// The requests a peer logged, once at least <paramref name="expected"/> are there (WireMock may log an exchange just
    /// after the client has its answer; waits at most 10 s, in steps of 10 ms, as a loaded CI machine may need).
    /// </summary>
    private static async Task<List<IRequestMessage>> Requests(WireMockServer peer, int expected)
    {
        var waited = Stopwatch.StartNew();
        while (peer.LogEntries.Count() < expected && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        return peer.LogEntries.Select(e => e.RequestMessage!).Cast<IRequestMessage>().ToList();
    }

    private static string Inbox(WireMockServer peer, string path = "/inbox") => $"http://127.0.0.1:{peer.Port()}{path}";

    /// <summary>The backoff before attempt n+1 without jitter: 30 s doubling, capped at 6 h.</summary>
    private static TimeSpan Nominal(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, attempts - 1), TimeSpan.FromHours(6).TotalSeconds));

    [Fact]
    public async Task A_peer_answering_500_is_retried_with_growing_jittered_delays_dead_after_48_hours_and_revived_from_the_dead_letters()
    {
        var peer = Peer();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        var rig = Rig();
        var item = Assert.Single(rig.Enqueue(Inbox(peer)));
        var created = rig.Clock.GetUtcNow();

        var attempts = 0;
        var delays = new List<TimeSpan>();
        DeliveryItem current;
        while (true)
        {
            Assert.Equal(1, await rig.RunOnceAsync());
            attempts++;
            current = rig.Queue.Find(item.Id)!;
            Assert.NotNull(current);
            Assert.Equal(attempts, current.Attempts);
            Assert.Equal("HTTP 500", current.LastError);
            Assert.Equal(attempts, (await Requests(peer, attempts)).Count); // one request per attempt (500 is not a signature refusal: no cavage retry)
            if (current.Dead) break;

            var now = rig.Clock.GetUtcNow();
            Assert.True(now - created < rig.Schedule.GiveUpAfter, $"still retried at {now - created} after creation");
            var delay = current.NextAttemptAt - now;
            var nominal = Nominal(attempts);
            Assert.InRange(delay, nominal * 0.8 - TimeSpan.FromMilliseconds(1), nominal * 1.2 + TimeSpan.FromMilliseconds(1));
            delays.Add(delay);

            // Not due a second before its time...
            rig.Clock.SetTo(current.NextAttemptAt - TimeSpan.FromSeconds(1));
            Assert.Equal(0, await rig.RunOnceAsync());
            // ...and due at it.
            rig.Clock.SetTo(current.NextAttemptAt);
        }

        // Gave up on the first failure at or after 48 h of (fake) time, not before.
        Assert.True(rig.Clock.GetUtcNow() - created >= TimeSpan.FromHours(48));
        Assert.True(rig.Clock.GetUtcNow() - created < TimeSpan.FromHours(48) + TimeSpan.FromHours(6) * 1.2);
        // Nominal backoff 30 s, 60 s, … 4 h 16 min, then 6 h: 10 doublings (~8.5 h) plus 6–7 capped waits to reach 48 h.
        Assert.InRange(attempts, 14, 20);
        Assert.Equal(attempts - 1, delays.Count);
        Assert.True(delays[9] > delays[0] * 300, "the delays grow exponentially");
        Assert.All(delays.Skip(10), d => Assert.InRange(d, TimeSpan.FromHours(6) * 0.8, TimeSpan.FromHours(6) * 1.2));

        Assert.Equal([item.Id], rig.Queue.List(dead: true, 10).Select(d => d.Id));
        Assert.Equal(0, rig.Queue.CountPending());
        rig.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await rig.RunOnceAsync()); // a dead letter is never retried on its own
        Assert.Equal(attempts, (await Requests(peer, attempts)).Count);

        // The peer is back; an administrator retries the dead letter.
        peer.ResetMappings();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        Assert.False(rig.Processor.Retry("no-such-delivery"));
        Assert.True(rig.Processor.Retry(item.Id));
        var revived = rig.Queue.Find(item.Id)!;
        Assert.False(revived.Dead);
        Assert.Equal(0, revived.Attempts);
        Assert.Equal(rig.Clock.GetUtcNow(), revived.NextAttemptAt);
        Assert.Empty(rig.Queue.List(dead: true, 10));

        Assert.Equal(1, await rig.RunOnceAsync());
        Assert.Null(rig.Queue.Find(item.Id));
        Assert.Equal(0, rig.Queue.CountPending());
        Assert.Equal(attempts + 1, (await Requests(peer, attempts + 1)).Count);
    }

    [Fact]
    public async Task A_peer_that_times_out_is_retried_with_backoff_and_delivered_once_it_answers()
    {
        var peer = Peer();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(3)));
        var rig = Rig(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));
        var item = Assert.Single(rig.Enqueue(Inbox(peer)));

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal(1, await rig.RunOnceAsync());
            var current = rig.Queue.Find(item.Id)!;
            Assert.False(current.Dead);
            Assert.Equal(attempt, current.Attempts);
            Assert.Contains("No complete answer", current.LastError);
            var delay = current.NextAttemptAt - rig.Clock.GetUtcNow();
            Assert.InRange(delay, Nominal(attempt) * 0.8 - TimeSpan.FromMilliseconds(1), Nominal(attempt) * 1.2 + TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, await rig.RunOnceAsync()); // not due yet
            rig.Clock.SetTo(current.NextAttemptAt);
        }

        peer.ResetMappings();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        Assert.Equal(1, await rig.RunOnceAsync());
        Assert.Null(rig.Queue.Find(item.Id));
        Assert.Empty(rig.Queue.List(dead: true, 10));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task A_peer_answering_404_or_410_ends_delivery_and_loses_every_follower_behind_that_inbox(int status)
    {
        var peer = Peer();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(status));
        peer.Given(Request.Create().WithPath("/users/carol/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        var rig = Rig();
        var shared = Inbox(peer);
        var personal = Inbox(peer, "/users/carol/inbox");
        Follower Follower(string slug, string name, string? sharedInbox) => new()
        {
            DatasetSlug = slug, ActorUri = $"http://127.0.0.1:{peer.Port()}/users/{name}", Inbox = $"http://127.0.0.1:{peer.Port()}/users/{name}/inbox",
            SharedInbox = sharedInbox, FollowActivityId = $"http://127.0.0.1:{peer.Port()}/follows/{slug}/{name}", State = FollowerState.Accepted,
            Since = DeliveryRig.Start,
        };
        rig.Followers.Upsert(Follower("offers", "alice", shared));
        rig.Followers.Upsert(Follower("offers", "bob", shared));
        rig.Followers.Upsert(Follower("needs", "alice", shared));
        rig.Followers.Upsert(Follower("offers", "carol", null));

        var items = rig.Enqueue(shared, personal);
        Assert.Equal(2, await rig.RunOnceAsync());

        Assert.All(items, i => Assert.Null(rig.Queue.Find(i.Id)));
        Assert.Empty(rig.Queue.List(dead: true, 10));
        Assert.Equal(["carol"], rig.Followers.List("offers").Select(f => f.ActorUri.Split('/')[^1]));
        Assert.Empty(rig.Followers.List("needs"));
        Assert.Empty(rig.Followers.WithInbox(shared));
        Assert.Single(rig.Followers.WithInbox(personal));

        rig.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await rig.RunOnceAsync());
        Assert.Equal(2, (await Requests(peer, 2)).Count); // one each: no retry after 404/410
    }

    [Fact]
    public async Task A_429_with_retry_after_in_seconds_is_not_retried_before_that()
    {
        var peer = Peer();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600"));
        var rig = Rig();
        var item = Assert.Single(rig.Enqueue(Inbox(peer)));

        Assert.Equal(1, await rig.RunOnceAsync());
        var asked = rig.Clock.GetUtcNow() + TimeSpan.FromSeconds(3600);
        var current = rig.Queue.Find(item.Id)!;
        Assert.Equal("HTTP 429", current.LastError);
        Assert.False(current.Dead);
        Assert.True(current.NextAttemptAt >= asked, $"next attempt {current.NextAttemptAt:O} is before the Retry-After {asked:O}");

        rig.Clock.SetTo(asked - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await rig.RunOnceAsync());
        Assert.Single(await Requests(peer, 1));

        rig.Clock.SetTo(current.NextAttemptAt);
        Assert.Equal(1, await rig.RunOnceAsync());
        Assert.Equal(2, (await Requests(peer, 2)).Count);
        Assert.Equal(2, rig.Queue.Find(item.Id)!.Attempts);
    }

    [Fact]
    public async Task A_429_with_retry_after_as_a_date_is_not_retried_before_that_date()
    {
        var peer = Peer();
        var rig = Rig();
        var until = rig.Clock.GetUtcNow() + TimeSpan.FromHours(2);
        peer.Given(Request.Create().WithPath("/inbox").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", until.ToString("R", CultureInfo.InvariantCulture)));
        var item = Assert.Single(rig.Enqueue(Inbox(peer)));

        Assert.Equal(1, await rig.RunOnceAsync());
        var current = rig.Queue.Find(item.Id)!;
        Assert.True(current.NextAttemptAt >= until, $"next attempt {current.NextAttemptAt:O} is before the Retry-After {until:O}");
        rig.Clock.SetTo(until - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await rig.RunOnceAsync());
        Assert.Single(await Requests(peer, 1));
    }

    [Fact]
    public async Task A_peer_answering_400_sends_the_delivery_to_the_dead_letters_at_once()
    {
        var peer = Peer();
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(400));
        var rig = Rig();
        var item = Assert.Single(rig.Enqueue(Inbox(peer)));

        Assert.Equal(1, await rig.RunOnceAsync());

        var dead = Assert.Single(rig.Queue.List(dead: true, 10));
        Assert.Equal(item.Id, dead.Id);
        Assert.Equal(1, dead.Attempts);
        Assert.Equal("HTTP 400", dead.LastError);
        Assert.Equal(0, rig.Queue.CountPending());
        // The HTTP layer tried RFC 9421, then draft-cavage-12 (a 400 may be a signature refusal); both refused.
        var requests = await Requests(peer, 2);
        Assert.Equal(2, requests.Count);
        Assert.True(requests[0].Headers!.ContainsKey("Signature-Input"));
        Assert.False(requests[1].Headers!.ContainsKey("Signature-Input"));
        Assert.Contains("headers=\"(request-target) host date digest\"", requests[1].Headers!["Signature"].Single());

        rig.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await rig.RunOnceAsync());
        Assert.Equal(2, (await Requests(peer, 2)).Count);
    }

    [Fact]
    public async Task The_peer_receives_an_rfc9421_signature_that_verifies_and_a_valid_content_digest()
    {
        var peer = Peer();
        var rig = Rig();
        var verifier = rig.PeerVerifier();
        SignatureVerificationResult? result = null;
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithCallback(async request =>
        {
            result = await verifier.VerifyAsync(HttpTest.ToSignable(request));
            return HttpTest.Respond(result.IsValid ? 202 : 401);
        }));
        var item = Assert.Single(rig.Enqueue(Inbox(peer)));

        Assert.Equal(1, await rig.RunOnceAsync());

        Assert.Null(rig.Queue.Find(item.Id));
        Assert.NotNull(result);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(HttpSignatureScheme.Rfc9421, result.Scheme);
        Assert.Equal(DeliveryRig.KeyIdOf(DeliveryRig.Sender), result.KeyId);

        var request = Assert.Single(await Requests(peer, 1));
        Assert.Equal(item.ActivityJson, request.Body);
        var input = request.Headers!["Signature-Input"].Single();
        Assert.StartsWith("sig1=(\"@method\" \"@target-uri\" \"@authority\" \"content-digest\" \"date\")", input);
        Assert.Contains($"keyid=\"{DeliveryRig.KeyIdOf(DeliveryRig.Sender)}\"", input);
        Assert.Contains($"created={DeliveryRig.Start.ToUnixTimeSeconds()}", input);
        Assert.StartsWith("sig1=:", request.Headers["Signature"].Single());
        var digest = request.Headers["Content-Digest"].Single();
        Assert.StartsWith("sha-256=:", digest);
        Assert.Equal(DigestVerificationOutcome.Valid, ContentDigestHeader.Verify(digest, request.BodyAsBytes));
        Assert.Equal(ContentDigestHeader.Compute(System.Text.Encoding.UTF8.GetBytes(item.ActivityJson)), digest);
    }

    [Fact]
    public async Task A_slow_peer_does_not_hold_up_deliveries_to_other_peers_in_the_same_round()
    {
        // A slow host with many (non-shared) inboxes, queued first, and 10 fast hosts.
        var slow = Peer();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var maxInFlight = 0;
        slow.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(async _ =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            try
            {
                // Held until the test has seen the fast peers served (bounded, so a failing test still ends).
                await release.Task.WaitAsync(TimeSpan.FromSeconds(40));
                return HttpTest.Respond(202);
            }
            catch (TimeoutException)
            {
                return HttpTest.Respond(503);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }));
        var fastHits = 0;
        var fast = Enumerable.Range(0, 10).Select(_ => Peer()).ToList();
        foreach (var peer in fast)
            peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
            {
                Interlocked.Increment(ref fastHits);
                return HttpTest.Respond(202);
            }));
        // The worst order: the processor gets the slow host's 40 deliveries before the fast ones (the LiteDB queue's own
        // order of due items is unspecified).
        var slowPrefix = $"http://127.0.0.1:{slow.Port()}/";
        var rig = new DeliveryRig(o => o.RequestTimeout = TimeSpan.FromSeconds(60),
            processorQueue: q => new ReorderedQueue(q, d => d.Inbox.StartsWith(slowPrefix, StringComparison.Ordinal)));
        _rigs.Add(rig);

        rig.Enqueue(Enumerable.Range(0, 40).Select(i => Inbox(slow, $"/users/u{i}/inbox")).ToArray());
        rig.Enqueue(fast.Select(p => Inbox(p)).ToArray());

        var round = rig.RunOnceAsync();
        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref fastHits) < fast.Count && waited.Elapsed < TimeSpan.FromSeconds(30) && !round.IsCompleted)
            await Task.Delay(20);
        var fastServedWhileSlowHeld = Volatile.Read(ref fastHits);
        release.TrySetResult();
        var attempted = await round;

        Assert.Equal(fast.Count, fastServedWhileSlowHeld);
        Assert.Equal(50, attempted);
        Assert.Equal(0, rig.Queue.CountPending());
        Assert.Empty(rig.Queue.List(dead: true, 100));
        Assert.Equal(40, (await Requests(slow, 40)).Count);
        Assert.InRange(maxInFlight, 1, rig.Options.MaxConcurrentRequestsPerHost);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }
}
