using System.Net;
using Commons.Federation.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Commons.Federation.Tests.Http;

public sealed class SafeHttpHandlerTests : IDisposable
{
    private readonly WireMock.Server.WireMockServer _peer = HttpTest.StartPeer();

    public SafeHttpHandlerTests() =>
        _peer.Given(Request.Create().WithPath("/hello").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("hello"));

    public void Dispose() => _peer.Stop();

    public static TheoryData<string> RefusedAddresses => AddressPolicyTests.RefusedAddresses;

    [Theory]
    [MemberData(nameof(RefusedAddresses))]
    public async Task A_name_resolving_to_a_non_public_address_is_refused_at_connect(string address)
    {
        var resolver = new FakeResolver().Map("victim.test", IPAddress.Parse(address));
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(HttpTest.Options(), resolver: resolver.Resolve));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://victim.test:{_peer.Port()}/hello"));

        var refused = Assert.IsType<PrivateNetworkRefusedException>(e.InnerException);
        Assert.Equal(IPAddress.Parse(address), refused.Address);
        Assert.Equal("victim.test", refused.Host);
        Assert.Equal(["victim.test"], resolver.Lookups);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/hello")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/hello")]
    [InlineData("http://2130706433:{0}/hello")]
    [InlineData("http://0x7f.1:{0}/hello")]
    public async Task Address_literals_are_checked_without_a_lookup(string template)
    {
        var resolver = new FakeResolver();
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(HttpTest.Options(), resolver: resolver.Resolve));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _peer.Port())));

        Assert.IsType<PrivateNetworkRefusedException>(e.InnerException);
        Assert.Empty(_peer.LogEntries);
        Assert.Empty(resolver.Lookups);
    }

    [Fact]
    public async Task Private_networks_are_reached_when_allowed()
    {
        var resolver = new FakeResolver().Map("local.test", IPAddress.Loopback);
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(HttpTest.Options(o => o.AllowPrivateNetworks = true), resolver: resolver.Resolve));

        Assert.Equal("hello", await client.GetStringAsync($"http://local.test:{_peer.Port()}/hello"));
        Assert.Equal("hello", await client.GetStringAsync($"http://127.0.0.1:{_peer.Port()}/hello"));
    }

    [Fact]
    public async Task Only_allowed_addresses_of_a_mixed_answer_are_dialled()
    {
        // A rebinding server may answer with a public and a private address at once, hoping the client falls back.
        var resolver = new FakeResolver().Map(HttpTest.PeerHost, [IPAddress.Parse("10.0.0.1"), IPAddress.Loopback]);
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(HttpTest.Options(), HttpTest.LoopbackAsPublic, resolver.Resolve));

        Assert.Equal("hello", await client.GetStringAsync(_peer.PeerUrl("/hello")));
    }

    [Fact]
    public async Task Dns_rebinding_between_a_check_and_the_connect_is_refused_at_connect()
    {
        // The first answer is public (what a naive pre-flight check would see); the next one, the address the
        // connection would use, is loopback. The connect step resolves and vets on its own, so it refuses.
        var resolver = new FakeResolver().Map("rebind.test", [IPAddress.Parse("93.184.216.34")], [IPAddress.Loopback]);
        var preflight = await resolver.Resolve("rebind.test", CancellationToken.None);
        Assert.All(preflight, a => Assert.True(IpAddressClassifier.IsPublic(a)));
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(HttpTest.Options(), resolver: resolver.Resolve));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://rebind.test:{_peer.Port()}/hello"));

        var refused = Assert.IsType<PrivateNetworkRefusedException>(e.InnerException);
        Assert.Equal(IPAddress.Loopback, refused.Address);
        Assert.Equal(2, resolver.Lookups.Count);
        Assert.Empty(_peer.LogEntries);
    }

    [Fact]
    public async Task Every_new_connection_is_vetted_again()
    {
        // Allowed while the name points at the test's stand-in public address, refused once it rebinds to 127.0.0.2.
        var resolver = new FakeResolver().Map(HttpTest.PeerHost, [IPAddress.Loopback], [IPAddress.Parse("127.0.0.2")]);
        var options = HttpTest.Options();
        using var client = new HttpClient(SafeHttpHandlerFactory.Create(options, HttpTest.LoopbackAsPublic, resolver.Resolve));

        using var request = new HttpRequestMessage(HttpMethod.Get, _peer.PeerUrl("/hello"));
        request.Headers.ConnectionClose = true;
        using (var first = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(_peer.PeerUrl("/hello")));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), Assert.IsType<PrivateNetworkRefusedException>(e.InnerException).Address);
    }

    [Fact]
    public void The_handler_does_not_follow_redirects_or_use_proxies_and_decompresses()
    {
        using var handler = SafeHttpHandlerFactory.Create(HttpTest.Options());
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseProxy);
        Assert.False(handler.UseCookies);
        Assert.Equal(DecompressionMethods.All, handler.AutomaticDecompression);
        Assert.Equal(SafeHttpHandlerFactory.PooledConnectionLifetime, handler.PooledConnectionLifetime);
        Assert.NotNull(handler.ConnectCallback);
    }
}
