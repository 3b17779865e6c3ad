using System.Net;

namespace Commons.Federation.Http;

/// <summary>
/// Every address the host resolved to is one the <see cref="IAddressPolicy"/> refuses (loopback, private,
/// link-local, …); no connection was attempted. Thrown from the handler's connect step, so a plain
/// <see cref="HttpClient"/> surfaces it as the inner exception of an <see cref="HttpRequestException"/>;
/// <see cref="SignedHttpClient"/> throws it directly.
/// </summary>
public sealed class PrivateNetworkRefusedException(string host, IPAddress address, string reason)
    : FederationHttpException($"Refusing to connect to '{host}': {address} is {reason}. Set Federation:AllowPrivateNetworks only for local testing.")
{
    public string Host { get; } = host;

    /// <summary>The (first) refused address.</summary>
    public IPAddress Address { get; } = address;

    /// <summary>Why the address is refused, e.g. "loopback" or "private (RFC 1918)".</summary>
    public string Reason { get; } = reason;
}
