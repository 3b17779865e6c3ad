using System.Net;
using System.Net.Http.Headers;
using Commons.Core.Federation;
using Commons.Federation.Http;

namespace Commons.Federation.PublicData;

/// <summary>
/// Unsigned GETs of what anyone may read, through the same guard as every federation request: a handler from
/// <see cref="SafeHttpHandlerFactory"/> (each resolved address vetted at connect time), the node's domain policy
/// checked before each hop, a timeout per exchange and a cap on the body. Only https; plain http only to a loopback
/// host when the node allows private networks (tests and the local quickstart). Unsigned on purpose: a node answers an
/// unsigned fetch with its public data and nothing more. Redirects are followed on the same host only, each hop asked
/// of the gate like the first.
/// </summary>
public sealed class PublicHttpClient : IDisposable
{
    public const int MaxRedirects = 3;

    private readonly FirstUseInvoker _invoker;
    private readonly FederationOptions _options;
    private readonly DomainPolicyProvider _domains;

    public PublicHttpClient(FederationOptions options, DomainPolicyProvider domains, IAddressPolicy? addressPolicy = null, HostResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _domains = domains ?? throw new ArgumentNullException(nameof(domains));
        _invoker = new FirstUseInvoker(options, addressPolicy, resolver);
    }

    public void Dispose() => _invoker.Dispose();

    /// <summary>The body of a 200 answer, at most <paramref name="maxBytes"/> (and the node's own cap).</summary>
    /// <exception cref="PublicFetchException">Refused, unreachable, an other status, or too large.</exception>
    public async Task<byte[]> GetAsync(Uri uri, string accept, long maxBytes, IFetchGate gate, CancellationToken ct)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            Check(current);
            await gate.EnterAsync(current, ct).ConfigureAwait(false);
            var (status, location, body) = await ExchangeAsync(current, accept, Math.Min(maxBytes, _options.MaxResponseBytes), ct).ConfigureAwait(false);
            if (status == HttpStatusCode.OK) return body;
            if ((int)status is 301 or 302 or 303 or 307 or 308 && hop < MaxRedirects
                && location is not null && Uri.TryCreate(current, location, out var next)
                && string.Equals(next.Authority, current.Authority, StringComparison.OrdinalIgnoreCase))
            {
                current = next;
                continue;
            }
            throw new PublicFetchException((int)status == 404 ? PublicFetchFailure.NotANode : PublicFetchFailure.Unreachable,
                $"{current} answered {(int)status}");
        }
    }

    private void Check(Uri uri)
    {
        var loopback = uri.IsLoopback;
        if (!uri.IsAbsoluteUri || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && loopback && _options.AllowPrivateNetworks)))
            throw new PublicFetchException(PublicFetchFailure.Unreachable, $"{uri} is not an https address");
        if (!_domains.Current.IsAllowed(uri))
            throw new PublicFetchException(PublicFetchFailure.Unreachable, $"the domain policy does not allow {uri.IdnHost}");
    }

    private async Task<(HttpStatusCode, string?, byte[])> ExchangeAsync(Uri uri, string accept, long maxBytes, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(accept);
        request.Headers.UserAgent.Add(ProductInfoHeaderValue.TryParse(_options.UserAgent, out var agent) ? agent : new ProductInfoHeaderValue("CommonsNode", "1.0"));
        try
        {
            using var response = await _invoker.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var location = response.Headers.Location?.OriginalString;
            var body = response.StatusCode == HttpStatusCode.OK
                ? await CappedContent.ReadAsBytesAsync(response.Content, maxBytes, timeout.Token).ConfigureAwait(false)
                : [];
            return (response.StatusCode, location, body);
        }
        catch (ResponseTooLargeException e)
        {
            throw new PublicFetchException(PublicFetchFailure.TooLarge, $"{uri}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new PublicFetchException(PublicFetchFailure.Unreachable, $"no answer from {uri} within {_options.RequestTimeout}", e);
        }
        catch (HttpRequestException e)
        {
            var refused = e.InnerException as PrivateNetworkRefusedException ?? e.InnerException?.InnerException as PrivateNetworkRefusedException;
            throw new PublicFetchException(PublicFetchFailure.Unreachable, refused?.Message ?? $"{uri}: {e.Message}", e);
        }
    }
}
