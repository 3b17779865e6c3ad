namespace Commons.Federation.Signatures.Messages;

/// <summary>
/// The parts of an HTTP request or response that signatures and digests cover,
/// independent of any HTTP stack. Adapters build one from HttpRequestMessage
/// (see <see cref="HttpRequestMessageAdapter"/>) or, later, from ASP.NET's HttpRequest.
/// </summary>
public sealed class SignableHttpMessage
{
    private SignableHttpMessage(string? method, Uri? targetUri, int? statusCode, HttpHeaderMultiMap headers, ReadOnlyMemory<byte>? body)
    {
        Method = method;
        TargetUri = targetUri;
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
    }

    /// <summary>Request method as sent (case-sensitive); null for responses.</summary>
    public string? Method { get; }

    /// <summary>Absolute target URI of the request (or of the request a response answers).</summary>
    public Uri? TargetUri { get; }

    /// <summary>Status code of a response; null for requests.</summary>
    public int? StatusCode { get; }

    public HttpHeaderMultiMap Headers { get; }

    /// <summary>Body bytes, or null when the message has no body.</summary>
    public ReadOnlyMemory<byte>? Body { get; }

    public bool HasBody => Body is { Length: > 0 };

    public bool IsRequest => Method is not null;

    public static SignableHttpMessage ForRequest(string method, Uri targetUri, HttpHeaderMultiMap? headers = null, ReadOnlyMemory<byte>? body = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(targetUri);
        if (!targetUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The target URI must be absolute.", nameof(targetUri));
        }
        return new SignableHttpMessage(method, targetUri, null, headers ?? new HttpHeaderMultiMap(), body);
    }

    public static SignableHttpMessage ForResponse(int statusCode, HttpHeaderMultiMap? headers = null, ReadOnlyMemory<byte>? body = null, Uri? requestTargetUri = null)
    {
        if (statusCode is < 100 or > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode));
        }
        return new SignableHttpMessage(null, requestTargetUri, statusCode, headers ?? new HttpHeaderMultiMap(), body);
    }

    /// <summary>The same message with a different target URI (used to retry without the query string).</summary>
    public SignableHttpMessage WithTargetUri(Uri targetUri) =>
        new(Method, targetUri, StatusCode, Headers, Body);

    internal Uri RequireTargetUri() =>
        TargetUri ?? throw new SignatureComponentException("The message has no target URI.");
}
