using System.Net;
using Commons.Federation.Http;

namespace Commons.Federation.Tests.Http;

public class AddressPolicyTests
{
    public static TheoryData<string> RefusedAddresses => new()
    {
        "0.0.0.0", "0.1.2.3",                                 // this network
        "10.0.0.1", "10.255.255.255",                         // private
        "100.64.0.1", "100.127.255.254",                      // CGNAT
        "127.0.0.1", "127.1.2.3",                             // loopback
        "169.254.169.254",                                    // link-local (cloud metadata)
        "172.16.0.1", "172.31.255.255",                       // private
        "192.0.0.8",                                          // IETF protocol assignments
        "192.0.2.1", "198.51.100.7", "203.0.113.9",           // documentation
        "192.88.99.1",                                        // 6to4 relay anycast
        "192.168.1.1",                                        // private
        "198.18.0.1", "198.19.255.255",                       // benchmarking
        "224.0.0.1", "239.255.255.250",                       // multicast
        "240.0.0.1", "255.255.255.254", "255.255.255.255",    // reserved, broadcast
        "::", "::1",                                          // unspecified, loopback
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.0.1", "::ffff:0.0.0.0", // IPv4-mapped
        "::127.0.0.1", "::8.8.8.8",                           // IPv4-compatible (deprecated)
        "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::c0a8:101", // NAT64 of private
        "64:ff9b:1::1",                                       // local-use NAT64
        "2002:7f00:1::1", "2002:c0a8:101::1",                 // 6to4 of private
        "100::1",                                             // discard-only
        "2001::1", "2001:db8::1", "3fff::1",                  // Teredo/IETF, documentation
        "fc00::1", "fd12:3456:789a::1",                       // unique local
        "fe80::1", "febf::1",                                 // link-local
        "fec0::1",                                            // site-local
        "ff02::1", "ff05::2",                                 // multicast
        "5f00::1", "4000::1",                                 // SRv6, outside global unicast
    };

    public static TheoryData<string> PublicAddresses => new()
    {
        "8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
        "192.169.0.1", "198.17.255.255", "198.20.0.1", "223.255.255.255", "11.0.0.1", "126.255.255.255",
        "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    };

    [Theory]
    [MemberData(nameof(RefusedAddresses))]
    public void Public_only_refuses_non_public_ranges(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.False(IpAddressClassifier.IsPublic(address));
        Assert.False(AddressPolicy.PublicOnly.IsAllowed(address, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void Public_only_admits_public_addresses(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.Null(IpAddressClassifier.Classify(address));
        Assert.True(AddressPolicy.PublicOnly.IsAllowed(address, out _));
    }

    [Theory]
    [MemberData(nameof(RefusedAddresses))]
    public void Allowing_private_networks_admits_everything(string text) =>
        Assert.True(AddressPolicy.FromOptions(new FederationOptions { AllowPrivateNetworks = true }).IsAllowed(IPAddress.Parse(text), out _));

    [Fact]
    public void Reasons_name_the_range()
    {
        AddressPolicy.PublicOnly.IsAllowed(IPAddress.Parse("::ffff:10.1.2.3"), out var mapped);
        AddressPolicy.PublicOnly.IsAllowed(IPAddress.Parse("100.64.0.1"), out var cgnat);
        Assert.Contains("IPv4-mapped", mapped);
        Assert.Contains("10.0.0.0/8", mapped);
        Assert.Contains("CGNAT", cgnat);
    }

    [Fact]
    public void Exceptions_admit_exactly_the_named_addresses()
    {
        var policy = AddressPolicy.PublicOnly.Except(IPAddress.Loopback);
        Assert.True(policy.IsAllowed(IPAddress.Loopback, out _));
        Assert.True(policy.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1"), out _));
        Assert.False(policy.IsAllowed(IPAddress.Parse("127.0.0.2"), out _));
        Assert.False(policy.IsAllowed(IPAddress.IPv6Loopback, out _));
        Assert.False(policy.IsAllowed(IPAddress.Parse("10.0.0.1"), out _));
        Assert.True(policy.IsAllowed(IPAddress.Parse("8.8.8.8"), out _));
        Assert.False(AddressPolicy.PublicOnly.IsAllowed(IPAddress.Loopback, out _));
    }
}
