using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Commons.Federation.Http;

/// <summary>Decides, at connect time, whether an outgoing connection may go to a resolved address.</summary>
public interface IAddressPolicy
{
    bool IsAllowed(IPAddress address, [NotNullWhen(false)] out string? reason);
}

/// <summary>
/// The standard policy: only globally reachable unicast addresses (see <see cref="IpAddressClassifier"/>),
/// or everything when private networks are allowed. <see cref="Except"/> admits a few named addresses on top
/// (e.g. a test peer on 127.0.0.1 standing in for a public server) without opening any other private address.
/// </summary>
public sealed class AddressPolicy : IAddressPolicy
{
    private readonly bool _allowPrivateNetworks;
    private readonly HashSet<IPAddress> _exceptions;

    public AddressPolicy(bool allowPrivateNetworks, IEnumerable<IPAddress>? exceptions = null)
    {
        _allowPrivateNetworks = allowPrivateNetworks;
        _exceptions = new HashSet<IPAddress>((exceptions ?? []).Select(Normalize));
    }

    /// <summary>Public addresses only.</summary>
    public static AddressPolicy PublicOnly { get; } = new(allowPrivateNetworks: false);

    /// <summary>Any address (Federation:AllowPrivateNetworks = true).</summary>
    public static AddressPolicy Unrestricted { get; } = new(allowPrivateNetworks: true);

    public static AddressPolicy FromOptions(FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AllowPrivateNetworks ? Unrestricted : PublicOnly;
    }

    /// <summary>A copy that also admits exactly these addresses (IPv4-mapped forms included).</summary>
    public AddressPolicy Except(params IPAddress[] addresses) => new(_allowPrivateNetworks, _exceptions.Concat(addresses));

    public bool IsAllowed(IPAddress address, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        reason = null;
        if (_allowPrivateNetworks || _exceptions.Contains(Normalize(address)))
        {
            return true;
        }
        reason = IpAddressClassifier.Classify(address);
        return reason is null;
    }

    private static IPAddress Normalize(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return plain.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && plain.ScopeId != 0
            ? new IPAddress(plain.GetAddressBytes())
            : plain;
    }
}
