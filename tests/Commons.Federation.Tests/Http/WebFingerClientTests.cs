using System.Net;
using System.Text.Json;
using Commons.Federation.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Http;

public sealed class WebFingerClientTests : IDisposable
{
    private readonly WireMockServer _peer = HttpTest.StartPeer();

    public void Dispose() => _peer.Stop();

    private string Host => $"127.0.0.1:{_peer.Port()}";

    private WebFingerClient Client(out SignedHttpClient http)
    {
        http = new SignedHttpClient(HttpTest.Options(o => o.AllowPrivateNetworks = true));
        return new WebFingerClient(http, HttpTest.Signer);
    }

    private void Jrd(string body, int status = 200) =>
        _peer.Given(Request.Create().WithPath("/.well-known/webfinger").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/jrd+json").WithBody(body));

    [Theory]
    [InlineData("offers@{0}")]
    [InlineData("@offers@{0}")]
    [InlineData("acct:offers@{0}")]
    [InlineData("  ACCT:offers@{0} ")]
    public async Task Resolves_a_handle_to_the_self_link(string template)
    {
        var actor = $"http://{Host}/datasets/offers";
        Jrd(JsonSerializer.Serialize(new
        {
            subject = $"acct:offers@{Host}",
            links = new object[]
            {
                new { rel = "http://webfinger.net/rel/profile-page", type = "text/html", href = $"http://{Host}/@offers" },
                new { rel = "self", type = "application/activity+json", href = actor },
            },
        }));
        var client = Client(out var http);
        using (http)
        {
            var resolved = await client.ResolveActorAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Host));

            Assert.Equal(new Uri(actor), resolved);
            var request = Assert.Single(_peer.LogEntries).RequestMessage!;
            Assert.Equal($"acct:offers@{Host}", request.Query!["resource"].Single());
            Assert.Contains("application/jrd+json", request.Headers!["Accept"].Single());
            Assert.True(request.Headers.ContainsKey("Signature-Input"));
        }
    }

    [Fact]
    public async Task Accepts_ld_json_with_the_activitystreams_profile()
    {
        var actor = $"http://{Host}/users/alice";
        Jrd($$"""{"links":[{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"{{actor}}"}]}""");
        var client = Client(out var http);
        using (http)
        {
            Assert.Equal(new Uri(actor), await client.ResolveActorAsync($"alice@{Host}"));
        }
    }

    public static TheoryData<string> BadJrds => new()
    {
        "not json",
        "[]",
        "\"links\"",
        "{}",
        """{"links":{}}""",
        """{"links":[]}""",
        """{"links":["self"]}""",
        """{"links":[{"rel":"self","type":"text/html","href":"https://x.example/a"}]}""",
        """{"links":[{"rel":"self","type":"application/ld+json","href":"https://x.example/a"}]}""",
        """{"links":[{"rel":"self","type":"application/ld+json; profile=\"https://example.org/other\"","href":"https://x.example/a"}]}""",
        """{"links":[{"rel":"self","href":"https://x.example/a"}]}""",
        """{"links":[{"rel":"self","type":"application/activity+json"}]}""",
        """{"links":[{"rel":"self","type":"application/activity+json","href":"/users/a"}]}""",
        """{"links":[{"rel":"self","type":"application/activity+json","href":"javascript:alert(1)"}]}""",
        """{"links":[{"rel":"self","type":"application/activity+json","href":42}]}""",
        """{"links":[{"rel":"profile","type":"application/activity+json","href":"https://x.example/a"}]}""",
    };

    [Theory]
    [MemberData(nameof(BadJrds))]
    public async Task Bad_jrd_shapes_are_refused(string body)
    {
        Jrd(body);
        var client = Client(out var http);
        using (http)
        {
            var e = await Assert.ThrowsAsync<WebFingerException>(() => client.ResolveActorAsync($"someone@{Host}"));
            Assert.Equal($"acct:someone@{Host}", e.Resource);
        }
    }

    [Fact]
    public async Task An_error_status_is_a_webfinger_failure_with_the_status()
    {
        Jrd("{}", 404);
        var client = Client(out var http);
        using (http)
        {
            var e = await Assert.ThrowsAsync<WebFingerException>(() => client.ResolveActorAsync($"private@{Host}"));
            Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("offers")]
    [InlineData("@offers")]
    [InlineData("offers@")]
    [InlineData("@@host.example")]
    [InlineData("off ers@host.example")]
    [InlineData("offers@host.example/path")]
    [InlineData("offers@host.example:99999")]
    [InlineData("offers@host.example:port")]
    [InlineData("offers@host example")]
    public async Task Bad_handles_are_refused_without_a_request(string handle)
    {
        var client = Client(out var http);
        using (http)
        {
            await Assert.ThrowsAsync<WebFingerException>(() => client.ResolveActorAsync(handle));
            Assert.Empty(_peer.LogEntries);
        }
    }

    [Theory]
    [InlineData("offers@127.0.0.1:5081", "offers", "127.0.0.1:5081")]
    [InlineData("@Alice@Social.Example", "Alice", "social.example")]
    [InlineData("acct:bob@[2001:db8::1]:8443", "bob", "[2001:db8::1]:8443")]
    public void Handles_parse(string text, string user, string host)
    {
        Assert.True(AccountHandle.TryParse(text, out var handle));
        Assert.Equal(new AccountHandle(user, host), handle);
    }

    [Fact]
    public void Https_is_used_unless_private_networks_are_allowed()
    {
        using var strict = new SignedHttpClient(HttpTest.Options());
        using var local = new SignedHttpClient(HttpTest.Options(o => o.AllowPrivateNetworks = true));
        var handle = new AccountHandle("offers", "node.example:8443");

        Assert.Equal("https://node.example:8443/.well-known/webfinger?resource=acct%3Aoffers%40node.example%3A8443", new WebFingerClient(strict, HttpTest.Signer).QueryUri(handle).AbsoluteUri);
        Assert.Equal("http", new WebFingerClient(local, HttpTest.Signer).QueryUri(handle).Scheme);
    }
}
