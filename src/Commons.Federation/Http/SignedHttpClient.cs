using System.Net;
using System.Runtime.ExceptionServices;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Http;

/// <summary>
/// Sends signed federation GETs and POSTs. Each exchange is signed with RFC 9421 first; a 400 or 401 answer
/// makes it retry once with draft-cavage-12, and the scheme a host accepted is remembered for that host.
/// Before anything is sent the host must pass the <see cref="DomainPolicy"/>; requests per host are limited;
/// each exchange is bounded by <see cref="FederationOptions.RequestTimeout"/> and its body by
/// <see cref="FederationOptions.MaxResponseBytes"/>. Redirects are followed here (GET: 301, 302, 303, 307, 308;
/// POST: 307 and 308 only), at most <see cref="MaxRedirects"/>, each hop re-checked and re-signed; the
/// connection-level address checks are the handler's (<see cref="SafeHttpHandlerFactory"/>).
/// HTTP error statuses are returned as <see cref="FederationResponse"/>s; refusals and transport failures throw:
/// <see cref="DomainBlockedException"/>, <see cref="PrivateNetworkRefusedException"/>,
/// <see cref="RedirectRefusedException"/>, <see cref="ResponseTooLargeException"/>,
/// <see cref="RequestTimeoutException"/>, or <see cref="HttpRequestException"/> for network errors.
/// </summary>
public sealed class SignedHttpClient : IDisposable
{
    public const int MaxRedirects = 3;
    public const string ActivityJsonMediaType = "application/activity+json";
    public const string ActivityStreamsProfile = "https://www.w3.org/ns/activitystreams";
    public const string LdJsonActivityStreamsMediaType = "application/ld+json; profile=\"" + ActivityStreamsProfile + "\"";

    /// <summary>The Accept header of ActivityPub object fetches.</summary>
    public const string ActivityAccept = ActivityJsonMediaType + ", " + LdJsonActivityStreamsMediaType;

    private readonly FirstUseInvoker _invoker;
    private readonly FederationOptions _options;
    private readonly DomainPolicyProvider _domains;
    private readonly HostConcurrencyLimiter _limiter;
    private readonly TimeProvider _clock;

    /// <summary>
    /// Builds its own handler with <see cref="SafeHttpHandlerFactory"/>. <paramref name="domains"/> gives the domain policy
    /// of each request (the node's runtime rules); without it, the policy of <paramref name="options"/> alone.
    /// </summary>
    public SignedHttpClient(FederationOptions options, TimeProvider? clock = null, IAddressPolicy? addressPolicy = null, HostResolver? resolver = null, DomainPolicyProvider? domains = null)
        : this(new FirstUseInvoker(Validated(options), addressPolicy, resolver), options, clock, null, domains)
    {
    }

    /// <summary>Uses <paramref name="handler"/>, which should come from <see cref="SafeHttpHandlerFactory"/> (or wrap one).</summary>
    public SignedHttpClient(HttpMessageHandler handler, FederationOptions options, TimeProvider? clock = null, bool disposeHandler = true, SignatureSchemeMemory? schemeMemory = null, DomainPolicyProvider? domains = null)
        : this(new FirstUseInvoker(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler), Validated(options), clock, schemeMemory, domains)
    {
    }

    private static FederationOptions Validated(FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private SignedHttpClient(FirstUseInvoker invoker, FederationOptions options, TimeProvider? clock, SignatureSchemeMemory? schemeMemory, DomainPolicyProvider? domains)
    {
        _invoker = invoker;
        _options = options;
        _domains = domains ?? new DomainPolicyProvider(options);
        _limiter = new HostConcurrencyLimiter(options.MaxConcurrentRequestsPerHost);
        _clock = clock ?? TimeProvider.System;
        SchemeMemory = schemeMemory ?? new SignatureSchemeMemory(_clock);
    }

    public FederationOptions Options => _options;

    /// <summary>The domain policy in force now (read again for every request and redirect hop).</summary>
    public DomainPolicy DomainPolicy => _domains.Current;

    /// <summary>Which signature scheme each host accepted (keyed by host and port).</summary>
    public SignatureSchemeMemory SchemeMemory { get; }

    /// <summary>A signed GET; <paramref name="accept"/> defaults to <see cref="ActivityAccept"/>.</summary>
    public Task<FederationResponse> GetAsync(Uri uri, SigningIdentity signer, string? accept = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, uri, null, accept ?? ActivityAccept, signer, _options.MaxResponseBytes, cancellationToken);

    /// <summary>
    /// A signed GET whose body may be up to <paramref name="maxResponseBytes"/> instead of <see cref="FederationOptions.MaxResponseBytes"/>:
    /// for an answer whose size the caller bounds itself (a backfill page of many records).
    /// </summary>
    public Task<FederationResponse> GetAsync(Uri uri, SigningIdentity signer, string accept, long maxResponseBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResponseBytes, 1);
        return SendAsync(HttpMethod.Get, uri, null, accept, signer, maxResponseBytes, cancellationToken);
    }

    /// <summary>A signed POST of an activity (content type <c>application/activity+json</c>), e.g. to an inbox.</summary>
    public Task<FederationResponse> PostActivityAsync(Uri inbox, ReadOnlyMemory<byte> activityJson, SigningIdentity signer, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, inbox, new DigestedBody(activityJson.Span), ActivityAccept, signer, _options.MaxResponseBytes, cancellationToken);

    /// <summary>The same, for a body sent to many inboxes: its digest is computed once, whatever the number of requests.</summary>
    public Task<FederationResponse> PostActivityAsync(Uri inbox, DigestedBody activityJson, SigningIdentity signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activityJson);
        return SendAsync(HttpMethod.Post, inbox, activityJson, ActivityAccept, signer, _options.MaxResponseBytes, cancellationToken);
    }

    /// <summary>The key used for per-host state: lower-case host and port.</summary>
    public static string HostKey(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return $"{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";
    }

    public void Dispose() => _invoker.Dispose();

    private async Task<FederationResponse> SendAsync(HttpMethod method, Uri uri, DigestedBody? body, string accept, SigningIdentity signer, long maxResponseBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(signer);
        CheckTarget(uri);
        var current = uri;
        for (var redirects = 0; ; redirects++)
        {
            var response = await ExchangeAsync(method, current, body, accept, signer, maxResponseBytes, cancellationToken).ConfigureAwait(false);
            if (!IsFollowedRedirect(method, response.StatusCode))
            {
                return response;
            }
            var location = response.Headers.GetCombinedValue("Location");
            if (string.IsNullOrWhiteSpace(location) || !Uri.TryCreate(current, location.Trim(), out var next))
            {
                throw new RedirectRefusedException(current, null, "the Location header is missing or invalid.");
            }
            if (redirects == MaxRedirects)
            {
                throw new RedirectRefusedException(current, next, $"more than {MaxRedirects} redirects.");
            }
            if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !_options.AllowPrivateNetworks)
            {
                throw new RedirectRefusedException(current, next, "downgrade from https to http.");
            }
            CheckTarget(next, current);
            current = next;
        }
    }

    private void CheckTarget(Uri uri, Uri? redirectedFrom = null)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            if (redirectedFrom is not null)
            {
                throw new RedirectRefusedException(redirectedFrom, uri, "only http and https targets are followed.");
            }
            throw new ArgumentException($"Only absolute http(s) URLs can be fetched, not '{uri}'.", nameof(uri));
        }
        if (!_domains.Current.IsAllowed(uri))
        {
            throw new DomainBlockedException(uri.IdnHost);
        }
    }

    private static bool IsFollowedRedirect(HttpMethod method, HttpStatusCode status) => (int)status switch
    {
        301 or 302 or 303 => method == HttpMethod.Get,
        307 or 308 => true,
        _ => false,
    };

    private async Task<FederationResponse> ExchangeAsync(HttpMethod method, Uri uri, DigestedBody? body, string accept, SigningIdentity signer, long maxResponseBytes, CancellationToken cancellationToken)
    {
        var host = HostKey(uri);
        using var slot = await _limiter.AcquireAsync(host, cancellationToken).ConfigureAwait(false);
        var remembered = SchemeMemory.Get(host);
        var first = remembered ?? HttpSignatureScheme.Rfc9421;
        var response = await AttemptAsync(method, uri, body, accept, signer, first, maxResponseBytes, cancellationToken).ConfigureAwait(false);
        if (IsSignatureRejection(response.StatusCode) && first == HttpSignatureScheme.Rfc9421)
        {
            var fallback = await AttemptAsync(method, uri, body, accept, signer, HttpSignatureScheme.Cavage12, maxResponseBytes, cancellationToken).ConfigureAwait(false);
            if (!IsSignatureRejection(fallback.StatusCode) && (int)fallback.StatusCode < 500)
            {
                SchemeMemory.Remember(host, HttpSignatureScheme.Cavage12);
            }
            return fallback;
        }
        if (!IsSignatureRejection(response.StatusCode) && (int)response.StatusCode < 500 && remembered != first)
        {
            SchemeMemory.Remember(host, first);
        }
        return response;
    }

    private static bool IsSignatureRejection(HttpStatusCode status) => status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized;

    private async Task<FederationResponse> AttemptAsync(HttpMethod method, Uri uri, DigestedBody? body, string accept, SigningIdentity signer, HttpSignatureScheme scheme, long maxResponseBytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        try
        {
            var (key, keyId) = signer.Current();
            if (body is null)
            {
                await HttpSignatureSigner.SignRequestAsync(request, key, keyId, scheme, _clock.GetUtcNow(), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                HttpSignatureSigner.SignRequest(request, body, ActivityJsonMediaType, key, keyId, scheme, _clock.GetUtcNow());
            }
            using var response = await _invoker.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var content = await CappedContent.ReadAsBytesAsync(response.Content, maxResponseBytes, timeout.Token).ConfigureAwait(false);
            return new FederationResponse(response.StatusCode, CollectHeaders(response), content, uri, scheme, response.Headers.RetryAfter);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RequestTimeoutException(uri, _options.RequestTimeout, e);
        }
        catch (HttpRequestException e) when (FindInner<PrivateNetworkRefusedException>(e) is { } refused)
        {
            ExceptionDispatchInfo.Throw(refused);
            throw;
        }
    }

    private static HttpHeaderMultiMap CollectHeaders(HttpResponseMessage response)
    {
        var headers = new HttpHeaderMultiMap();
        foreach (var header in response.Headers.NonValidated)
        {
            headers.Add(header.Key, header.Value);
        }
        foreach (var header in response.Content.Headers.NonValidated)
        {
            headers.Add(header.Key, header.Value);
        }
        return headers;
    }

    private static T? FindInner<T>(Exception exception) where T : Exception
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }
}
