using System.Net;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>nosniff on every response, HSTS only over HTTPS, and compression of the stylesheet and JSON but not of pages.</summary>
public sealed class ResponseHardeningTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Theory]
    [InlineData("/ui.css", null)]
    [InlineData("/healthz", null)]
    [InlineData("/api/me", null)]
    [InlineData("/api/no-such-thing", null)]
    [InlineData("/signin", "text/html")]
    [InlineData("/no-such-page", "text/html")]
    [InlineData("/no-such-actor", "application/activity+json")]
    public async Task Every_response_says_nosniff(string path, string? accept)
    {
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);

        using var response = await client.SendAsync(request);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Plain_http_gets_no_hsts()
    {
        using var client = node.Client();
        using var response = await client.GetAsync("/healthz");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task The_stylesheet_and_api_json_are_compressed(string encoding)
    {
        using var admin = await node.AdminAsync();
        using var anonymous = node.Client();
        // The stylesheet, an API answer, and a problem (401).
        foreach (var (client, path) in new[] { (anonymous, "/ui.css"), (admin, "/api/me"), (anonymous, "/api/me") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            using var response = await client.SendAsync(request);
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task Pages_with_an_antiforgery_token_are_not_compressed()
    {
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.AcceptEncoding.ParseAdd("br");
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("__RequestVerificationToken", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Behind_a_known_proxy_that_received_https_the_answer_carries_hsts()
    {
        await using var proxied = new ProxiedNode("127.0.0.1");
        using var client = proxied.Client();

        using var https = await client.SendAsync(Forwarded("/healthz", "https"));
        using var http = await client.SendAsync(Forwarded("/healthz", "http"));

        var hsts = Assert.Single(https.Headers.GetValues("Strict-Transport-Security"));
        Assert.Equal("max-age=31536000", hsts);
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task An_unknown_proxy_saying_https_gets_no_hsts()
    {
        await using var proxied = new ProxiedNode("10.9.9.9");
        using var client = proxied.Client();
        using var response = await client.SendAsync(Forwarded("/healthz", "https"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    // A public host name: HSTS is never sent for localhost or loopback addresses.
    private static HttpRequestMessage Forwarded(string path, string scheme)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "commons.example.org";
        request.Headers.Add("X-Forwarded-Proto", scheme);
        return request;
    }

    private sealed class ProxiedNode(string knownProxy) : NodeFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Commons:ForwardedHeaders:KnownProxies:0", knownProxy)];
    }
}
