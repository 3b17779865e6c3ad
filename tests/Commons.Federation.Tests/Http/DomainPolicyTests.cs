using Commons.Federation.Http;

namespace Commons.Federation.Tests.Http;

public class DomainPolicyTests
{
    private static readonly DomainPolicy Open = new(FederationMode.Open, blockedDomains: ["bad.example", "BÜCHER.example", "*.wild.example", "198.51.100.7"]);

    [Theory]
    [InlineData("bad.example")]
    [InlineData("BAD.Example")]
    [InlineData("x.bad.example")]
    [InlineData("a.b.c.bad.example")]
    [InlineData("bad.example:8443")]
    [InlineData("bad.example.")]
    [InlineData("bücher.example")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("sub.XN--BCHER-KVA.example:443")]
    [InlineData("wild.example")]
    [InlineData("x.wild.example")]
    [InlineData("198.51.100.7")]
    [InlineData("198.51.100.7:80")]
    public void Blocked_domains_and_their_subdomains_are_refused(string host) => Assert.False(Open.IsAllowed(host));

    [Theory]
    [InlineData("good.example")]
    [InlineData("notbad.example")]
    [InlineData("bad.example.org")]
    [InlineData("example")]
    [InlineData("198.51.100.8")]
    [InlineData("[2001:db8::1]:443")]
    public void Other_hosts_pass_in_open_mode(string host) => Assert.True(Open.IsAllowed(host));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad host.example")]
    [InlineData("host.example:notaport")]
    [InlineData("[::1")]
    public void Hosts_that_cannot_be_normalised_are_refused(string host) => Assert.False(Open.IsAllowed(host));

    [Fact]
    public void Allow_list_mode_admits_only_listed_domains_and_subdomains_and_blocking_wins()
    {
        var policy = new DomainPolicy(new FederationOptions
        {
            Mode = FederationMode.AllowList,
            AllowedDomains = ["friends.example", "Bücher.example"],
            BlockedDomains = ["evil.friends.example"],
        });
        Assert.True(policy.IsAllowed("friends.example"));
        Assert.True(policy.IsAllowed("social.FRIENDS.example:443"));
        Assert.True(policy.IsAllowed("xn--bcher-kva.example"));
        Assert.False(policy.IsAllowed("stranger.example"));
        Assert.False(policy.IsAllowed("notfriends.example"));
        Assert.False(policy.IsAllowed("evil.friends.example"));
        Assert.False(policy.IsAllowed("x.evil.friends.example"));
        Assert.True(policy.IsAllowed(new Uri("https://friends.example/users/a")));
        Assert.False(policy.IsAllowed(new Uri("https://stranger.example/users/a")));
    }

    [Fact]
    public void Invalid_entries_are_configuration_errors() =>
        Assert.Throws<ArgumentException>(() => new DomainPolicy(FederationMode.Open, blockedDomains: ["not a domain"]));

    [Theory]
    [InlineData("Bücher.Example:443", "xn--bcher-kva.example")]
    [InlineData("EXAMPLE.org.", "example.org")]
    [InlineData("[2001:DB8::1]:8080", "2001:db8::1")]
    [InlineData("127.0.0.1:5081", "127.0.0.1")]
    public void Normalisation(string host, string expected)
    {
        Assert.True(DomainPolicy.TryNormalize(host, out var normalized));
        Assert.Equal(expected, normalized);
    }
}
