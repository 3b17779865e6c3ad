using Commons.Node.Hosting;
using Microsoft.Extensions.Configuration;

namespace Commons.Node.Tests;

/// <summary>Which addresses count as "beyond loopback", and which public URLs a node accepts (and how it writes them).</summary>
public sealed class PublicAddressTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.1.2.3:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://LOCALHOST:5080/")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5080")]
    public void Listening_on_loopback_only_federates_under_the_first_address(string? urls)
    {
        var address = Resolve(urls, null);

        Assert.True(address.Federates);
        Assert.StartsWith("http://", address.Url);
        Assert.False(address.Url.EndsWith('/'));
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("http://commons.example.org:5080")]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081")]
    public void Listening_beyond_loopback_without_a_public_url_does_not_federate(string urls)
    {
        var address = Resolve(urls, null);

        Assert.False(address.Federates);
        Assert.Contains("Commons:PublicUrl is not set", address.MissingBecause);
    }

    [Fact]
    public void A_kestrel_endpoint_beyond_loopback_counts_too()
    {
        var configuration = Configuration(("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:8080"));
        Assert.False(PublicAddress.Resolve(new NodeOptions(), configuration).Federates);
    }

    [Theory]
    [InlineData("https://commons.example.org", "https://commons.example.org")]
    [InlineData("https://Commons.Example.org:443/", "https://commons.example.org")]
    [InlineData("https://commons.example.org:8443", "https://commons.example.org:8443")]
    [InlineData(" https://commons.example.org/ ", "https://commons.example.org")]
    [InlineData("http://127.0.0.1:5081", "http://127.0.0.1:5081")]
    [InlineData("http://localhost:5081", "http://localhost:5081")]
    public void A_public_url_makes_any_listener_federate_under_it(string publicUrl, string expected)
    {
        var address = Resolve("http://0.0.0.0:5080", publicUrl);

        Assert.True(address.Federates);
        Assert.Equal(expected, address.Url);
    }

    [Fact]
    public void Plain_http_to_another_host_needs_allow_private_networks()
    {
        Assert.Throws<NodeConfigurationException>(() => Resolve("http://0.0.0.0:5080", "http://192.168.1.10:5080"));
        var configuration = Configuration(("urls", "http://0.0.0.0:5080"), ("Federation:AllowPrivateNetworks", "true"));
        Assert.Equal("http://192.168.1.10:5080", PublicAddress.Resolve(new NodeOptions { PublicUrl = "http://192.168.1.10:5080" }, configuration).Url);
    }

    [Theory]
    [InlineData("/commons")]
    [InlineData("https://")]
    [InlineData("mailto:admin@commons.example.org")]
    [InlineData("https://commons.example.org/a/b")]
    public void An_unusable_public_url_is_one_clear_error(string publicUrl)
    {
        var e = Assert.Throws<NodeConfigurationException>(() => Resolve(null, publicUrl));
        Assert.StartsWith($"Commons:PublicUrl '{publicUrl}' ", e.Message);
    }

    private static PublicAddress Resolve(string? urls, string? publicUrl) =>
        PublicAddress.Resolve(new NodeOptions { PublicUrl = publicUrl }, Configuration(urls is null ? [] : [("urls", urls)]));

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
