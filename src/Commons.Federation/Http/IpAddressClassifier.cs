using System.Net;
using System.Net.Sockets;

namespace Commons.Federation.Http;

/// <summary>
/// Tells globally reachable unicast addresses from everything an outgoing federation request must not reach:
/// loopback, private, shared (CGNAT), link-local, "this network", multicast, broadcast, reserved,
/// documentation and benchmarking ranges, IPv6 unique-local, site-local, discard and other special-purpose
/// blocks (IANA special-purpose registries). IPv4 embedded in IPv6 (IPv4-mapped, IPv4-compatible, NAT64
/// 64:ff9b::/96, 6to4 2002::/16) is judged by the embedded IPv4 address.
/// </summary>
public static class IpAddressClassifier
{
    private static readonly (uint Network, int Prefix, string Reason)[] V4Ranges =
    [
        (0x00000000, 8, "in \"this network\" (0.0.0.0/8)"),
        (0x0A000000, 8, "private (10.0.0.0/8)"),
        (0x64400000, 10, "shared address space (CGNAT, 100.64.0.0/10)"),
        (0x7F000000, 8, "loopback (127.0.0.0/8)"),
        (0xA9FE0000, 16, "link-local (169.254.0.0/16)"),
        (0xAC100000, 12, "private (172.16.0.0/12)"),
        (0xC0000000, 24, "reserved for IETF protocol assignments (192.0.0.0/24)"),
        (0xC0000200, 24, "documentation (192.0.2.0/24)"),
        (0xC0586300, 24, "the deprecated 6to4 relay anycast (192.88.99.0/24)"),
        (0xC0A80000, 16, "private (192.168.0.0/16)"),
        (0xC6120000, 15, "benchmarking (198.18.0.0/15)"),
        (0xC6336400, 24, "documentation (198.51.100.0/24)"),
        (0xCB007100, 24, "documentation (203.0.113.0/24)"),
        (0xE0000000, 4, "multicast (224.0.0.0/4)"),
        (0xF0000000, 4, "reserved (240.0.0.0/4)"),
    ];

    /// <summary>IPv6 blocks refused outright (checked after the embedded-IPv4 forms).</summary>
    private static readonly (UInt128 Network, int Prefix, string Reason)[] V6Ranges =
    [
        (V6("64:ff9b:1::"), 48, "local-use NAT64 (64:ff9b:1::/48)"),
        (V6("100::"), 64, "discard-only (100::/64)"),
        (V6("2001::"), 23, "reserved for IETF protocol assignments (2001::/23)"),
        (V6("2001:db8::"), 32, "documentation (2001:db8::/32)"),
        (V6("3fff::"), 20, "documentation (3fff::/20)"),
        (V6("5f00::"), 16, "reserved for SRv6 SIDs (5f00::/16)"),
    ];

    private static readonly UInt128 GlobalUnicast = V6("2000::");

    /// <summary>True when the address is globally reachable unicast.</summary>
    public static bool IsPublic(IPAddress address) => Classify(address) is null;

    /// <summary>Null for a globally reachable unicast address; otherwise why it is not, e.g. "loopback (127.0.0.0/8)".</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(ToUInt32(address)),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => $"of the unsupported family {address.AddressFamily}",
        };
    }

    private static string? ClassifyV4(uint value)
    {
        if (value == 0xFFFFFFFF)
        {
            return "broadcast (255.255.255.255)";
        }
        foreach (var (network, prefix, reason) in V4Ranges)
        {
            if ((value & Mask32(prefix)) == network)
            {
                return reason;
            }
        }
        return null;
    }

    private static string? ClassifyV6(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var low32 = (uint)(value & 0xFFFFFFFF);

        if (value == UInt128.Zero)
        {
            return "the unspecified address (::)";
        }
        if (value == UInt128.One)
        {
            return "loopback (::1)";
        }
        if (InPrefix(value, V6("::ffff:0:0"), 96))
        {
            return Embedded(ClassifyV4(low32), "IPv4-mapped");
        }
        if (InPrefix(value, V6("::"), 96))
        {
            return Embedded(ClassifyV4(low32), "IPv4-compatible") ?? "IPv4-compatible (deprecated, ::/96)";
        }
        if (InPrefix(value, V6("64:ff9b::"), 96))
        {
            return Embedded(ClassifyV4(low32), "NAT64");
        }
        if (InPrefix(value, V6("2002::"), 16))
        {
            return Embedded(ClassifyV4((uint)(value >> 80)), "6to4");
        }
        if (InPrefix(value, V6("fc00::"), 7))
        {
            return "unique local (fc00::/7)";
        }
        if (InPrefix(value, V6("fe80::"), 10))
        {
            return "link-local (fe80::/10)";
        }
        if (InPrefix(value, V6("fec0::"), 10))
        {
            return "site-local (deprecated, fec0::/10)";
        }
        if (InPrefix(value, V6("ff00::"), 8))
        {
            return "multicast (ff00::/8)";
        }
        foreach (var (network, prefix, reason) in V6Ranges)
        {
            if (InPrefix(value, network, prefix))
            {
                return reason;
            }
        }
        return InPrefix(value, GlobalUnicast, 3) ? null : "outside global unicast (2000::/3)";

        static string? Embedded(string? v4Reason, string form) => v4Reason is null ? null : $"{form} {v4Reason}";
    }

    private static bool InPrefix(UInt128 value, UInt128 network, int prefix) =>
        prefix == 0 || (value >> (128 - prefix)) == (network >> (128 - prefix));

    private static uint Mask32(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static UInt128 V6(string text)
    {
        Span<byte> bytes = stackalloc byte[16];
        IPAddress.Parse(text).TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
