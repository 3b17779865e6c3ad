using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Http;

/// <summary>
/// A completed outgoing exchange, whatever its status: HTTP error statuses are results, not exceptions.
/// The body is fully read (and capped).
/// </summary>
public sealed class FederationResponse
{
    public FederationResponse(HttpStatusCode statusCode, HttpHeaderMultiMap headers, byte[] body, Uri requestUri, HttpSignatureScheme signatureScheme, RetryConditionHeaderValue? retryAfter = null)
    {
        StatusCode = statusCode;
        Headers = headers ?? throw new ArgumentNullException(nameof(headers));
        Body = body ?? throw new ArgumentNullException(nameof(body));
        RequestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
        SignatureScheme = signatureScheme;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode StatusCode { get; }

    public bool IsSuccessStatusCode => (int)StatusCode is >= 200 and <= 299;

    /// <summary>Response and content headers.</summary>
    public HttpHeaderMultiMap Headers { get; }

    public byte[] Body { get; }

    /// <summary>The URL that produced this response: the requested one, or the last hop of the redirects followed.</summary>
    public Uri RequestUri { get; }

    /// <summary>The signature scheme of the request that produced this response.</summary>
    public HttpSignatureScheme SignatureScheme { get; }

    public RetryConditionHeaderValue? RetryAfter { get; }

    public string? ContentType => Headers.GetCombinedValue("Content-Type");

    /// <summary>The instant Retry-After points to (a date, or now plus a delay), or null without the header.</summary>
    public DateTimeOffset? RetryAfterUntil(DateTimeOffset now) => RetryAfter switch
    {
        { Date: { } date } => date,
        { Delta: { } delta } => now + delta,
        _ => null,
    };

    public string BodyAsString() => Encoding.UTF8.GetString(Body);
}
