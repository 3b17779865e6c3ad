using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Federation.Http;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Http;

public sealed class RemoteActorFetcherTests : IDisposable
{
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly SignedHttpClient _http;
    private readonly PublicKeyCache _keys = new();
    private readonly RemoteActorFetcher _fetcher;

    public RemoteActorFetcherTests()
    {
        _http = HttpTest.Client(clock: _clock);
        _fetcher = new RemoteActorFetcher(_http, HttpTest.Signer, _keys, _clock);
    }

    public void Dispose()
    {
        _http.Dispose();
        _peer.Stop();
    }

    private string Url(string path) => _peer.PeerUrl(path);

    /// <summary>A Mastodon-shaped actor: publicKey is one object, the keyId has a #main-key fragment.</summary>
    private JsonObject MastodonActor(string path, string? pem = null, string? id = null) => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = id ?? Url(path),
        ["type"] = "Person",
        ["preferredUsername"] = "alice",
        ["inbox"] = Url(path + "/inbox"),
        ["outbox"] = Url(path + "/outbox"),
        ["followers"] = Url(path + "/followers"),
        ["endpoints"] = new JsonObject { ["sharedInbox"] = Url("/inbox") },
        ["publicKey"] = new JsonObject
        {
            ["id"] = Url(path) + "#main-key",
            ["owner"] = Url(path),
            ["publicKeyPem"] = pem ?? HttpTest.RsaPublicKeyPem,
        },
    };

    private void Serve(string path, JsonNode document, int status = 200) =>
        _peer.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/activity+json").WithBody(document.ToJsonString()));

    private int Requests(string path) => _peer.LogEntries.Count(e => e.RequestMessage!.Path == path);

    [Fact]
    public async Task Concurrent_fetches_of_a_new_actor_share_one_request()
    {
        _peer.Given(Request.Create().WithPath("/users/busy").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/activity+json")
                .WithBody(MastodonActor("/users/busy").ToJsonString()).WithDelay(TimeSpan.FromMilliseconds(300)));

        var actors = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _fetcher.FetchAsync(new Uri(Url("/users/busy")))));

        Assert.All(actors, a => Assert.Equal(new Uri(Url("/users/busy")), a.Id));
        Assert.Equal(1, Requests("/users/busy"));
    }

    [Fact]
    public async Task Fetches_a_mastodon_shaped_actor_with_a_signed_get()
    {
        Serve("/users/alice", MastodonActor("/users/alice"));

        var actor = await _fetcher.FetchAsync(new Uri(Url("/users/alice")));

        Assert.Equal(new Uri(Url("/users/alice")), actor.Id);
        Assert.Equal("Person", actor.Type);
        Assert.Equal("alice", actor.PreferredUsername);
        Assert.Equal(new Uri(Url("/users/alice/inbox")), actor.Inbox);
        Assert.Equal(new Uri(Url("/inbox")), actor.SharedInbox);
        Assert.Equal(actor.SharedInbox, actor.DeliveryInbox);
        var key = Assert.Single(actor.PublicKeys);
        Assert.Equal(Url("/users/alice") + "#main-key", key.Id);
        Assert.Equal(actor.Id, key.Owner);
        Assert.Equal("alice", actor.Document.GetProperty("preferredUsername").GetString());
        var request = Assert.Single(_peer.LogEntries).RequestMessage!;
        Assert.Contains("application/activity+json", request.Headers!["Accept"].Single());
        Assert.Contains("profile=\"https://www.w3.org/ns/activitystreams\"", request.Headers["Accept"].Single());
        Assert.True(request.Headers.ContainsKey("Signature-Input"));
    }

    [Fact]
    public async Task Reads_publicKey_as_an_array_and_inbox_as_an_object()
    {
        var second = new RsaSigningKey(RSA.Create(2048)).ExportPublicKeyPem();
        var actor = MastodonActor("/users/gts");
        actor["type"] = new JsonArray("Service", "Application");
        actor["inbox"] = new JsonObject { ["id"] = Url("/users/gts/inbox") };
        actor.Remove("endpoints");
        actor["publicKey"] = new JsonArray(
            new JsonObject { ["id"] = Url("/users/gts/main-key"), ["owner"] = Url("/users/gts"), ["publicKeyPem"] = HttpTest.RsaPublicKeyPem },
            new JsonObject { ["id"] = Url("/users/gts#second"), ["owner"] = Url("/users/gts"), ["publicKeyPem"] = second },
            "https://elsewhere.example/key",
            new JsonObject { ["id"] = Url("/users/gts#no-pem") });
        Serve("/users/gts", actor);

        var fetched = await _fetcher.FetchAsync(new Uri(Url("/users/gts")));

        Assert.Equal("Service", fetched.Type);
        Assert.Equal(new Uri(Url("/users/gts/inbox")), fetched.Inbox);
        Assert.Null(fetched.SharedInbox);
        Assert.Equal(fetched.Inbox, fetched.DeliveryInbox);
        Assert.Equal([Url("/users/gts/main-key"), Url("/users/gts#second")], fetched.PublicKeys.Select(k => k.Id));
    }

    [Fact]
    public async Task A_document_whose_id_is_not_the_fetched_url_is_refused()
    {
        Serve("/users/mallory", MastodonActor("/users/mallory", id: "https://victim.example/users/alice"));

        var e = await Assert.ThrowsAsync<RemoteActorException>(() => _fetcher.FetchAsync(new Uri(Url("/users/mallory"))));

        Assert.Contains("victim.example", e.Message);
        Assert.Equal(0, _fetcher.CachedCount);
    }

    [Fact]
    public async Task A_redirect_on_the_same_host_may_carry_the_final_url_as_id()
    {
        _peer.Given(Request.Create().WithPath("/@alice")).RespondWith(Response.Create().WithStatusCode(301).WithHeader("Location", "/users/alice"));
        Serve("/users/alice", MastodonActor("/users/alice"));

        var actor = await _fetcher.FetchAsync(new Uri(Url("/@alice")));

        Assert.Equal(new Uri(Url("/users/alice")), actor.Id);
    }

    [Fact]
    public async Task A_redirect_to_another_host_does_not_vouch_for_that_hosts_id()
    {
        var other = WireMockServer.Start(new WireMock.Settings.WireMockServerSettings { Urls = [$"http://127.0.0.1:{HttpTest.FreePort()}"] });
        try
        {
            var otherUrl = $"http://other.test:{other.Port()}/users/alice";
            var resolver = new FakeResolver().Map(HttpTest.PeerHost, IPAddress.Loopback).Map("other.test", IPAddress.Loopback);
            using var http = HttpTest.Client(resolver: resolver);
            var fetcher = new RemoteActorFetcher(http, HttpTest.Signer, _keys, _clock);
            _peer.Given(Request.Create().WithPath("/@alice")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", otherUrl));
            var document = MastodonActor("/users/alice", id: otherUrl);
            other.Given(Request.Create().WithPath("/users/alice")).RespondWith(Response.Create().WithStatusCode(200).WithBody(document.ToJsonString()));

            await Assert.ThrowsAsync<RemoteActorException>(() => fetcher.FetchAsync(new Uri(Url("/@alice"))));
        }
        finally
        {
            other.Stop();
        }
    }

    [Theory]
    [InlineData(404, null)]
    [InlineData(410, null)]
    [InlineData(200, "[1,2]")]
    [InlineData(200, "<html></html>")]
    [InlineData(200, "{\"id\":\"{url}\",\"type\":\"Person\"}")]
    public async Task Error_statuses_and_bad_documents_are_remote_actor_failures(int status, string? body)
    {
        var url = Url("/users/x");
        _peer.Given(Request.Create().WithPath("/users/x")).RespondWith(Response.Create().WithStatusCode(status).WithBody((body ?? "{}").Replace("{url}", url, StringComparison.Ordinal)));

        var e = await Assert.ThrowsAsync<RemoteActorException>(() => _fetcher.FetchAsync(new Uri(url)));

        if (status != 200)
        {
            Assert.Equal((HttpStatusCode)status, e.StatusCode);
        }
    }

    [Fact]
    public async Task Actors_are_cached_until_their_time_to_live()
    {
        Serve("/users/alice", MastodonActor("/users/alice"));
        var uri = new Uri(Url("/users/alice"));

        var first = await _fetcher.FetchAsync(uri);
        var second = await _fetcher.FetchAsync(uri);
        Assert.Same(first, second);
        Assert.Equal(1, Requests("/users/alice"));

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var third = await _fetcher.FetchAsync(uri);
        Assert.NotSame(first, third);
        Assert.Equal(2, Requests("/users/alice"));
    }

    [Fact]
    public async Task The_cache_is_bounded()
    {
        var fetcher = new RemoteActorFetcher(_http, HttpTest.Signer, _keys, _clock, new RemoteActorCacheOptions { Capacity = 2 });
        foreach (var name in new[] { "a", "b", "c" })
        {
            Serve($"/users/{name}", MastodonActor($"/users/{name}"));
            await fetcher.FetchAsync(new Uri(Url($"/users/{name}")));
        }
        Assert.Equal(2, fetcher.CachedCount);

        await fetcher.FetchAsync(new Uri(Url("/users/c")));
        await fetcher.FetchAsync(new Uri(Url("/users/a")));
        Assert.Equal(1, Requests("/users/c"));
        Assert.Equal(2, Requests("/users/a"));
    }

    [Fact]
    public async Task Refresh_bypasses_the_cache_once_but_not_right_after_a_fetch()
    {
        Serve("/users/alice", MastodonActor("/users/alice"));
        var uri = new Uri(Url("/users/alice"));
        await _fetcher.FetchAsync(uri);

        Assert.False(_fetcher.Refresh(uri));
        await _fetcher.FetchAsync(uri);
        Assert.Equal(1, Requests("/users/alice"));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(_fetcher.Refresh(uri));
        await _fetcher.FetchAsync(uri);
        await _fetcher.FetchAsync(uri);
        Assert.Equal(2, Requests("/users/alice"));
    }

    [Fact]
    public async Task A_main_key_id_resolves_to_a_key_that_verifies_and_its_owner()
    {
        Serve("/users/alice", MastodonActor("/users/alice"));
        var keyId = Url("/users/alice") + "#main-key";

        var resolved = await _fetcher.ResolveKeyAsync(keyId);

        Assert.NotNull(resolved);
        Assert.Equal(new Uri(Url("/users/alice")), resolved.Owner);
        Assert.Equal(keyId, resolved.KeyId);
        Assert.Equal(1, _keys.Count);
        await AssertVerifies(resolved.Key, keyId);

        Assert.NotNull(await _fetcher.ResolveKeyAsync(keyId));
        Assert.Equal(1, Requests("/users/alice"));
    }

    [Fact]
    public async Task A_separate_key_document_leads_to_its_owner()
    {
        // GoToSocial publishes the key at its own URL; the document there names the owner.
        var actor = MastodonActor("/users/gts");
        var keyId = Url("/users/gts/main-key");
        actor["publicKey"] = new JsonArray(new JsonObject { ["id"] = keyId, ["owner"] = Url("/users/gts"), ["publicKeyPem"] = HttpTest.RsaPublicKeyPem });
        Serve("/users/gts", actor);
        Serve("/users/gts/main-key", new JsonObject
        {
            ["id"] = Url("/users/gts"),
            ["type"] = "Person",
            ["publicKey"] = new JsonObject { ["id"] = keyId, ["owner"] = Url("/users/gts"), ["publicKeyPem"] = HttpTest.RsaPublicKeyPem },
        });

        var resolved = await _fetcher.ResolveKeyAsync(keyId);

        Assert.NotNull(resolved);
        Assert.Equal(new Uri(Url("/users/gts")), resolved.Owner);
        Assert.Equal(1, Requests("/users/gts/main-key"));
        Assert.Equal(1, Requests("/users/gts"));
    }

    [Fact]
    public async Task A_key_the_owner_does_not_publish_is_not_resolved()
    {
        // The key document claims an owner whose actor does not list that key: no binding, no key.
        Serve("/users/alice", MastodonActor("/users/alice"));
        Serve("/keys/forged", new JsonObject
        {
            ["id"] = Url("/keys/forged"),
            ["owner"] = Url("/users/alice"),
            ["publicKeyPem"] = new RsaSigningKey(RSA.Create(2048)).ExportPublicKeyPem(),
        });

        Assert.Null(await _fetcher.ResolveKeyAsync(Url("/keys/forged")));
        Assert.Null(await _fetcher.ResolveKeyAsync("not a url"));
        Assert.Null(await _fetcher.ResolveKeyAsync("urn:uuid:1234"));
    }

    [Fact]
    public async Task A_key_whose_owner_field_names_someone_else_is_not_resolved()
    {
        var actor = MastodonActor("/users/alice");
        actor["publicKey"]!["owner"] = "https://victim.example/users/bob";
        Serve("/users/alice", actor);

        Assert.Null(await _fetcher.ResolveKeyAsync(Url("/users/alice") + "#main-key"));
    }

    [Fact]
    public async Task After_rotation_a_refresh_finds_the_new_key_under_the_same_id()
    {
        Serve("/users/alice", MastodonActor("/users/alice"));
        var keyId = Url("/users/alice") + "#main-key";
        var old = await _fetcher.ResolveKeyAsync(keyId);
        var rotated = new RsaSigningKey(RSA.Create(2048));
        _peer.Reset();
        Serve("/users/alice", MastodonActor("/users/alice", rotated.ExportPublicKeyPem()));

        var stale = await _fetcher.ResolveKeyAsync(keyId);
        Assert.Same(old!.Key, stale!.Key);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(_fetcher.Refresh(stale.Owner));
        var fresh = await _fetcher.ResolveKeyAsync(keyId);

        Assert.NotSame(old.Key, fresh!.Key);
        await AssertVerifies(fresh.Key, keyId, rotated);
    }

    [Fact]
    public async Task An_unknown_key_id_on_a_freshly_cached_actor_does_not_refetch()
    {
        Serve("/users/alice", MastodonActor("/users/alice"));
        await _fetcher.FetchAsync(new Uri(Url("/users/alice")));

        Assert.Null(await _fetcher.ResolveKeyAsync(Url("/users/alice") + "#random-1"));
        Assert.Null(await _fetcher.ResolveKeyAsync(Url("/users/alice") + "#random-2"));
        Assert.Equal(1, Requests("/users/alice"));
    }

    /// <summary>Signs a request with <paramref name="signer"/> (the test key by default) and verifies it with <paramref name="key"/>.</summary>
    private async Task AssertVerifies(VerificationKey key, string keyId, SigningKey? signer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://node.test/inbox") { Content = new StringContent("{}", Encoding.UTF8, "application/activity+json") };
        await HttpSignatureSigner.SignRequestAsync(request, signer ?? Support.SignedRequests.RsaKey, keyId, HttpSignatureScheme.Cavage12, _clock.GetUtcNow());
        var verifier = new HttpSignatureVerifier((id, _) => Task.FromResult<VerificationKey?>(id == keyId ? key : null), _clock);
        var result = await verifier.VerifyAsync(await HttpRequestMessageAdapter.ToSignableAsync(request));
        Assert.True(result.IsValid, result.ToString());
    }
}
