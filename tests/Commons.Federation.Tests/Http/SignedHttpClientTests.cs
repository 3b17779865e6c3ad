using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Commons.Federation.Http;
using Commons.Federation.Signatures;
using Commons.Federation.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Http;

public sealed class SignedHttpClientTests : IDisposable
{
    private static readonly byte[] Activity = Encoding.UTF8.GetBytes("{\"type\":\"Follow\",\"actor\":\"https://node.test/actor\"}");

    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly HttpSignatureVerifier _verifier = new(ResolveTestKey, TimeProvider.System);
    private readonly ConcurrentQueue<(HttpSignatureScheme? Scheme, bool Valid, string Path)> _seen = new();

    public void Dispose() => _peer.Stop();

    private static Task<Commons.Federation.Signatures.Keys.VerificationKey?> ResolveTestKey(string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(keyId == HttpTest.KeyId ? SignedRequests.RsaKey.VerificationKey : null);

    /// <summary>An inbox that verifies every request and answers by scheme: 202 for the accepted ones, 401 otherwise.</summary>
    private void Inbox(string path, params HttpSignatureScheme[] accepted) =>
        _peer.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(async request =>
        {
            var result = await _verifier.VerifyAsync(HttpTest.ToSignable(request));
            _seen.Enqueue((result.Scheme, result.IsValid, request.Path));
            return HttpTest.Respond(result.IsValid && accepted.Contains(result.Scheme!.Value) ? 202 : 401);
        }));

    [Fact]
    public async Task Falls_back_to_cavage_on_401_and_remembers_it_per_host()
    {
        Inbox("/inbox", HttpSignatureScheme.Cavage12);
        using var client = HttpTest.Client();

        var first = await client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpSignatureScheme.Cavage12, first.SignatureScheme);
        Assert.Equal([(HttpSignatureScheme.Rfc9421, true), (HttpSignatureScheme.Cavage12, true)], _seen.Select(s => (s.Scheme, s.Valid)));
        Assert.Equal(HttpSignatureScheme.Cavage12, client.SchemeMemory.Get(SignedHttpClient.HostKey(new Uri(_peer.PeerUrl()))));

        _seen.Clear();
        var second = await client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal([(HttpSignatureScheme.Cavage12, true)], _seen.Select(s => (s.Scheme, s.Valid)));
    }

    [Fact]
    public async Task A_peer_accepting_rfc9421_gets_one_request_and_is_remembered()
    {
        Inbox("/inbox", HttpSignatureScheme.Rfc9421, HttpSignatureScheme.Cavage12);
        using var client = HttpTest.Client();

        var response = await client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer);
        var get = await client.GetAsync(new Uri(_peer.PeerUrl("/inbox")), HttpTest.Signer);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, get.StatusCode);
        Assert.Equal([(HttpSignatureScheme.Rfc9421, true), (HttpSignatureScheme.Rfc9421, true)], _seen.Select(s => (s.Scheme, s.Valid)));
        Assert.Equal(HttpSignatureScheme.Rfc9421, client.SchemeMemory.Get(SignedHttpClient.HostKey(new Uri(_peer.PeerUrl()))));
    }

    [Fact]
    public async Task Refusing_both_schemes_returns_the_401_and_remembers_nothing()
    {
        Inbox("/inbox");
        using var client = HttpTest.Client();

        var response = await client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, _seen.Count);
        Assert.Null(client.SchemeMemory.Get(SignedHttpClient.HostKey(new Uri(_peer.PeerUrl()))));
    }

    [Fact]
    public async Task Posts_carry_the_activity_with_its_content_type_digest_and_user_agent()
    {
        _peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        using var client = HttpTest.Client();

        await client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer);

        var request = Assert.Single(_peer.LogEntries).RequestMessage!;
        Assert.Equal(Activity, request.BodyAsBytes);
        Assert.Equal("application/activity+json", request.Headers!["Content-Type"].Single());
        Assert.StartsWith("sha-256=", request.Headers["Content-Digest"].Single());
        Assert.Contains("sig1=", request.Headers["Signature-Input"].Single());
        Assert.Equal("CommonsNode-Tests/1.0", request.Headers["User-Agent"].Single());
        Assert.Equal($"{HttpTest.PeerHost}:{_peer.Port()}", request.Headers["Host"].Single());
    }

    [Fact]
    public async Task Error_statuses_are_results_with_retry_after()
    {
        _peer.Given(Request.Create().WithPath("/busy")).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120").WithBody("slow down"));
        _peer.Given(Request.Create().WithPath("/gone")).RespondWith(Response.Create().WithStatusCode(410));
        using var client = HttpTest.Client();

        var busy = await client.PostActivityAsync(new Uri(_peer.PeerUrl("/busy")), Activity, HttpTest.Signer);
        var gone = await client.GetAsync(new Uri(_peer.PeerUrl("/gone")), HttpTest.Signer);

        Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), busy.RetryAfter?.Delta);
        var now = DateTimeOffset.UnixEpoch;
        Assert.Equal(now.AddSeconds(120), busy.RetryAfterUntil(now));
        Assert.Equal("slow down", busy.BodyAsString());
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.False(gone.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Blocked_domains_are_refused_before_any_lookup_or_connection()
    {
        var resolver = new FakeResolver().Map("x.bad.test", IPAddress.Loopback).Map(HttpTest.PeerHost, IPAddress.Loopback);
        using var client = HttpTest.Client(HttpTest.Options(o => o.BlockedDomains = ["bad.test"]), resolver);

        var e = await Assert.ThrowsAsync<DomainBlockedException>(() =>
            client.PostActivityAsync(new Uri($"http://x.bad.test:{_peer.Port()}/inbox"), Activity, HttpTest.Signer));

        Assert.Equal("x.bad.test", e.Host);
        Assert.Empty(resolver.Lookups);
        Assert.Empty(_peer.LogEntries);
    }

    [Fact]
    public async Task Allow_list_mode_reaches_listed_domains_only()
    {
        _peer.Given(Request.Create().WithPath("/ok")).RespondWith(Response.Create().WithStatusCode(200));
        var resolver = new FakeResolver().Map(HttpTest.PeerHost, IPAddress.Loopback).Map("stranger.test", IPAddress.Loopback);
        using var client = HttpTest.Client(HttpTest.Options(o =>
        {
            o.Mode = FederationMode.AllowList;
            o.AllowedDomains = ["PEER.test"];
        }), resolver);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(_peer.PeerUrl("/ok")), HttpTest.Signer)).StatusCode);
        await Assert.ThrowsAsync<DomainBlockedException>(() => client.GetAsync(new Uri($"http://stranger.test:{_peer.Port()}/ok"), HttpTest.Signer));
        Assert.Single(_peer.LogEntries);
        Assert.DoesNotContain("stranger.test", resolver.Lookups);
    }

    [Fact]
    public async Task A_private_address_is_refused_with_its_own_exception()
    {
        var resolver = new FakeResolver().Map("intranet.test", IPAddress.Parse("192.168.0.10"));
        using var client = HttpTest.Client(resolver: resolver);

        var e = await Assert.ThrowsAsync<PrivateNetworkRefusedException>(() => client.GetAsync(new Uri("http://intranet.test/"), HttpTest.Signer));
        Assert.Contains("192.168.0.0/16", e.Reason);
    }

    [Fact]
    public async Task Redirects_are_followed_re_signed_and_reported()
    {
        _peer.Given(Request.Create().WithPath("/old")).RespondWith(Response.Create().WithStatusCode(301).WithHeader("Location", "/middle"));
        _peer.Given(Request.Create().WithPath("/middle")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", _peer.PeerUrl("/new")));
        _peer.Given(Request.Create().WithPath("/new")).RespondWith(Response.Create().WithCallback(async request =>
        {
            var result = await _verifier.VerifyAsync(HttpTest.ToSignable(request));
            return HttpTest.Respond(result.IsValid ? 200 : 401, "{}");
        }));
        using var client = HttpTest.Client();

        var response = await client.GetAsync(new Uri(_peer.PeerUrl("/old")), HttpTest.Signer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri(_peer.PeerUrl("/new")), response.RequestUri);
        Assert.Equal(3, _peer.LogEntries.Count());
    }

    public static TheoryData<string> PrivateRedirectTargets => new()
    {
        "http://internal.test:{0}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{0}/secret",
        "http://[::ffff:10.0.0.1]/",
        "http://10.0.0.1/",
        "http://127.0.0.2:{0}/",
    };

    [Theory]
    [MemberData(nameof(PrivateRedirectTargets))]
    public async Task A_redirect_to_a_private_address_is_refused(string template)
    {
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _peer.Port());
        _peer.Given(Request.Create().WithPath("/actor")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", target));
        var resolver = new FakeResolver().Map(HttpTest.PeerHost, IPAddress.Loopback).Map("internal.test", IPAddress.Parse("10.1.2.3"));
        using var client = HttpTest.Client(resolver: resolver);

        await Assert.ThrowsAsync<PrivateNetworkRefusedException>(() => client.GetAsync(new Uri(_peer.PeerUrl("/actor")), HttpTest.Signer));
        Assert.Single(_peer.LogEntries);
    }

    [Fact]
    public async Task Redirects_to_blocked_domains_other_schemes_or_in_loops_are_refused()
    {
        _peer.Given(Request.Create().WithPath("/to-blocked")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "http://evil.test/"));
        _peer.Given(Request.Create().WithPath("/to-file")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "file:///etc/passwd"));
        _peer.Given(Request.Create().WithPath("/loop")).RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", "/loop"));
        _peer.Given(Request.Create().WithPath("/nowhere")).RespondWith(Response.Create().WithStatusCode(302));
        using var client = HttpTest.Client(HttpTest.Options(o => o.BlockedDomains = ["evil.test"]));

        await Assert.ThrowsAsync<DomainBlockedException>(() => client.GetAsync(new Uri(_peer.PeerUrl("/to-blocked")), HttpTest.Signer));
        await Assert.ThrowsAsync<RedirectRefusedException>(() => client.GetAsync(new Uri(_peer.PeerUrl("/to-file")), HttpTest.Signer));
        await Assert.ThrowsAsync<RedirectRefusedException>(() => client.GetAsync(new Uri(_peer.PeerUrl("/nowhere")), HttpTest.Signer));
        var loop = await Assert.ThrowsAsync<RedirectRefusedException>(() => client.GetAsync(new Uri(_peer.PeerUrl("/loop")), HttpTest.Signer));
        Assert.Contains("more than 3", loop.Message);
        Assert.Equal(1 + 1 + 1 + 4, _peer.LogEntries.Count());
    }

    [Fact]
    public async Task A_post_is_not_turned_into_a_get_by_a_302()
    {
        _peer.Given(Request.Create().WithPath("/inbox")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "/elsewhere"));
        using var client = HttpTest.Client();

        var response = await client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(_peer.LogEntries);
    }

    [Fact]
    public async Task A_body_of_one_byte_over_a_mebibyte_is_refused_and_one_of_exactly_a_mebibyte_is_read()
    {
        _peer.Given(Request.Create().WithPath("/big")).RespondWith(Response.Create().WithStatusCode(200).WithBody(new byte[1024 * 1024 + 1], "application/activity+json"));
        _peer.Given(Request.Create().WithPath("/fits")).RespondWith(Response.Create().WithStatusCode(200).WithBody(new byte[1024 * 1024], "application/activity+json"));
        using var client = HttpTest.Client();

        await Assert.ThrowsAsync<ResponseTooLargeException>(() => client.GetAsync(new Uri(_peer.PeerUrl("/big")), HttpTest.Signer));
        var fits = await client.GetAsync(new Uri(_peer.PeerUrl("/fits")), HttpTest.Signer);

        Assert.Equal(1024 * 1024, fits.Body.Length);
    }

    [Fact]
    public async Task An_announced_length_over_the_limit_is_refused_without_reading_the_body()
    {
        // The server announces 2 MiB and sends nothing: only a check of Content-Length can answer at once.
        await using var server = RawHttpServer.Canned(
            Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\nContent-Length: 2097152\r\n\r\n"),
            (_, ct) => Task.Delay(Timeout.Infinite, ct));
        using var client = HttpTest.Client();

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => client.GetAsync(new Uri($"http://{HttpTest.PeerHost}:{server.Port}/big"), HttpTest.Signer));

        Assert.Equal(2 * 1024 * 1024, e.AnnouncedLength);
        Assert.Equal(1024 * 1024, e.Limit);
    }

    [Fact]
    public async Task A_body_over_the_limit_without_content_length_is_refused_while_streaming()
    {
        await using var server = RawHttpServer.Canned(
            Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\nConnection: close\r\n\r\n"),
            async (stream, ct) =>
            {
                var chunk = new byte[64 * 1024];
                for (var i = 0; i < 40; i++)
                {
                    await stream.WriteAsync(chunk, ct);
                }
            });
        using var client = HttpTest.Client();

        var e = await Assert.ThrowsAsync<ResponseTooLargeException>(() => client.GetAsync(new Uri($"http://{HttpTest.PeerHost}:{server.Port}/big"), HttpTest.Signer));
        Assert.Null(e.AnnouncedLength);
    }

    [Fact]
    public async Task A_compressed_body_is_capped_after_decompression()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[4 * 1024 * 1024]);
        }
        var bomb = compressed.ToArray();
        await using var server = RawHttpServer.Canned(
            Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\nContent-Encoding: gzip\r\nContent-Length: {bomb.Length}\r\nConnection: close\r\n\r\n"),
            (stream, ct) => stream.WriteAsync(bomb, ct).AsTask());
        using var client = HttpTest.Client();

        Assert.True(bomb.Length < 64 * 1024);
        await Assert.ThrowsAsync<ResponseTooLargeException>(() => client.GetAsync(new Uri($"http://{HttpTest.PeerHost}:{server.Port}/bomb"), HttpTest.Signer));
    }

    [Fact]
    public async Task A_slow_peer_times_out()
    {
        _peer.Given(Request.Create().WithPath("/slow")).RespondWith(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(5)));
        using var client = HttpTest.Client(HttpTest.Options(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)));
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<RequestTimeoutException>(() => client.PostActivityAsync(new Uri(_peer.PeerUrl("/slow")), Activity, HttpTest.Signer));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
        Assert.Equal(TimeSpan.FromMilliseconds(300), e.Timeout);
    }

    [Fact]
    public async Task A_peer_that_never_answers_times_out_and_caller_cancellation_stays_cancellation()
    {
        await using var server = new RawHttpServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        using var client = HttpTest.Client(HttpTest.Options(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)));
        var uri = new Uri($"http://{HttpTest.PeerHost}:{server.Port}/silent");

        await Assert.ThrowsAsync<RequestTimeoutException>(() => client.GetAsync(uri, HttpTest.Signer));

        using var patient = HttpTest.Client(HttpTest.Options(o => o.RequestTimeout = TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.GetAsync(uri, HttpTest.Signer, cancellationToken: cancel.Token));
        Assert.IsNotType<RequestTimeoutException>(e);
    }

    [Fact]
    public async Task Requests_per_host_are_limited()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        _peer.Given(Request.Create().WithPath("/inbox")).RespondWith(Response.Create().WithCallback(async _ =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await Task.Delay(150);
            Interlocked.Decrement(ref inFlight);
            return HttpTest.Respond(202);
        }));
        using var client = HttpTest.Client(HttpTest.Options(o => o.MaxConcurrentRequestsPerHost = 2));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostActivityAsync(new Uri(_peer.PeerUrl("/inbox")), Activity, HttpTest.Signer)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.InRange(maxInFlight, 1, 2);
    }

    [Fact]
    public async Task The_limiter_forgets_idle_hosts()
    {
        var limiter = new HostConcurrencyLimiter(1);
        var first = await limiter.AcquireAsync("a", CancellationToken.None);
        var waiting = limiter.AcquireAsync("a", CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        (await waiting).Dispose();
        Assert.Equal(0, limiter.ActiveHosts);

        using var held = await limiter.AcquireAsync("b", CancellationToken.None);
        using var cancel = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync("b", cancel.Token).AsTask());
        Assert.Equal(1, limiter.ActiveHosts);
    }

    [Fact]
    public void Scheme_memory_expires()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var memory = new SignatureSchemeMemory(clock, TimeSpan.FromHours(1), capacity: 2);
        memory.Remember("a:443", HttpSignatureScheme.Cavage12);
        Assert.Equal(HttpSignatureScheme.Cavage12, memory.Get("A:443"));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(memory.Get("a:443"));
        memory.Remember("a:443", HttpSignatureScheme.Cavage12);
        memory.Remember("b:443", HttpSignatureScheme.Rfc9421);
        memory.Remember("c:443", HttpSignatureScheme.Rfc9421);
        Assert.Equal(HttpSignatureScheme.Rfc9421, memory.Get("c:443"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
