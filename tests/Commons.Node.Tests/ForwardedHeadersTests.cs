using System.Net;
using System.Text;
using Commons.Node.Hosting;
using Commons.Node.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Commons.Node.Tests;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto count only when they come from a configured proxy: otherwise anyone could
/// name any address and escape the per-address limits (here the inbox's, one request a minute per address).
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task From_a_known_proxy_each_forwarded_client_has_its_own_limit()
    {
        await using var node = new ProxiedNode(("Commons:ForwardedHeaders:KnownProxies", "10.9.9.9, 127.0.0.1"));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.2"));
    }

    [Fact]
    public async Task From_a_known_network_each_forwarded_client_has_its_own_limit()
    {
        await using var node = new ProxiedNode(("Commons:ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8"));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.2"));
    }

    [Fact]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored()
    {
        await using var node = new ProxiedNode();

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.2"));
    }

    [Fact]
    public async Task From_a_client_that_is_not_a_configured_proxy_forwarded_headers_are_ignored()
    {
        await using var node = new ProxiedNode(("Commons:ForwardedHeaders:KnownProxies:0", "10.9.9.9"), ("Commons:ForwardedHeaders:KnownNetworks:0", "192.168.0.0/16"));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostInboxAsync(node, "203.0.113.2"));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.9.9.9", false)]
    public async Task The_scheme_a_known_proxy_forwards_makes_cookies_secure(string knownProxy, bool secure)
    {
        await using var node = new ProxiedNode(("Commons:ForwardedHeaders:KnownProxies:0", knownProxy));
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        // Over HTTPS the name has the __Host- prefix; over plain HTTP, the port.
        var name = secure ? "__Host-commons_af=" : $"port{node.Address.Port}-commons_af=";
        var antiforgery = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name, StringComparison.Ordinal));
        Assert.Equal(secure, antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Commons:ForwardedHeaders:KnownProxies", "proxy.example.org", "KnownProxies: 'proxy.example.org' is not an IP address")]
    [InlineData("Commons:ForwardedHeaders:KnownNetworks", "10.0.0.0/33", "KnownNetworks: '10.0.0.0/33' is not a network")]
    [InlineData("Commons:ForwardedHeaders:KnownNetworks", "10.0.0.1", "KnownNetworks: '10.0.0.1' is not a network")]
    public void A_proxy_setting_that_is_not_an_address_is_refused(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();

        var e = Assert.Throws<NodeConfigurationException>(() => ProxyHeaders.From(configuration));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void No_proxy_configured_means_no_forwarded_headers() =>
        Assert.Null(ProxyHeaders.From(new ConfigurationBuilder().AddInMemoryCollection([new("Commons:ForwardedHeaders:KnownProxies", " ")]).Build()));

    private static async Task<HttpStatusCode> PostInboxAsync(NodeFactory node, string forwardedFor)
    {
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/inbox") { Content = new StringContent("{}", Encoding.UTF8, "application/activity+json") };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private sealed class ProxiedNode(params (string Key, string Value)[] settings) : NodeFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Federation:InboxRequestsPerMinute", "1"));
    }
}
