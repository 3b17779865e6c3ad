using System.Net;
using System.Net.Sockets;

namespace Commons.Federation.Http;

/// <summary>Resolves a host name to addresses; the default is <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);

/// <summary>
/// Builds the <see cref="SocketsHttpHandler"/> every outgoing federation request goes through. Its connect step
/// resolves the host itself, asks the <see cref="IAddressPolicy"/> about every address and opens the socket to
/// an address it has just vetted, so there is no second lookup a rebinding DNS server could answer differently.
/// Redirects are not followed by the handler (<see cref="SignedHttpClient"/> follows them, re-checking each hop),
/// proxies and cookies are off, responses are decompressed, pooled connections are recycled, and an HTTP/1.1 request
/// is written in one piece (<see cref="OneSendRequestStream"/>).
/// </summary>
public static class SafeHttpHandlerFactory
{
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);

    public static HostResolver DefaultResolver { get; } = Dns.GetHostAddressesAsync;

    /// <param name="policy">Which addresses may be reached; by default <see cref="AddressPolicy.FromOptions"/>.</param>
    /// <param name="resolver">Name resolution; by default the system resolver.</param>
    public static SocketsHttpHandler Create(FederationOptions options, IAddressPolicy? policy = null, HostResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var addressPolicy = policy ?? AddressPolicy.FromOptions(options);
        var resolve = resolver ?? DefaultResolver;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = PooledConnectionLifetime,
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            ConnectTimeout = options.RequestTimeout,
            MaxConnectionsPerServer = options.MaxConcurrentRequestsPerHost,
            MaxResponseHeadersLength = 64,
            MaxResponseDrainSize = 64 * 1024,
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, addressPolicy, resolve, cancellationToken),
            // Above TLS, where HTTP/1.1 is plain text: a request then goes in one TLS record and one send.
            PlaintextStreamFilter = (context, _) => ValueTask.FromResult(
                context.NegotiatedHttpVersion.Major == 1 ? new OneSendRequestStream(context.PlaintextStream) : context.PlaintextStream),
        };
    }

    /// <summary>
    /// Resolves <paramref name="endPoint"/>, keeps the addresses the policy allows and connects to the first that
    /// answers. Throws <see cref="PrivateNetworkRefusedException"/> when the policy allows none of them.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, IAddressPolicy policy, HostResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resolver);
        var addresses = await ResolveAsync(endPoint.Host, resolver, cancellationToken).ConfigureAwait(false);
        var allowed = new List<IPAddress>(addresses.Length);
        (IPAddress Address, string Reason)? firstRefusal = null;
        foreach (var address in addresses)
        {
            if (policy.IsAllowed(address, out var reason))
            {
                allowed.Add(address);
            }
            else
            {
                firstRefusal ??= (address, reason);
            }
        }
        if (allowed.Count == 0)
        {
            if (firstRefusal is { } refusal)
            {
                throw new PrivateNetworkRefusedException(endPoint.Host, refusal.Address, refusal.Reason);
            }
            throw new SocketException((int)SocketError.HostNotFound);
        }

        Exception? lastError = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastError = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastError!;
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, HostResolver resolver, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address))
        {
            return [address];
        }
        return await resolver(host, cancellationToken).ConfigureAwait(false) ?? [];
    }
}
