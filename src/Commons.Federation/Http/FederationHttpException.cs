namespace Commons.Federation.Http;

/// <summary>Base of the refusals and failures raised by the outgoing federation HTTP layer.</summary>
public abstract class FederationHttpException : Exception
{
    protected FederationHttpException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The target host is refused by the domain block list or the allow-list mode; nothing was sent.</summary>
public sealed class DomainBlockedException(string host)
    : FederationHttpException($"Federation with '{host}' is not allowed by the domain policy.")
{
    public string Host { get; } = host;
}

/// <summary>The response body is larger than <see cref="FederationOptions.MaxResponseBytes"/>.</summary>
public sealed class ResponseTooLargeException(long limit, long? announcedLength)
    : FederationHttpException(announcedLength is { } length
        ? $"The response announces {length} bytes, more than the limit of {limit}."
        : $"The response body exceeds the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;

    /// <summary>The Content-Length of the response, when that is what gave it away.</summary>
    public long? AnnouncedLength { get; } = announcedLength;
}

/// <summary>An HTTP exchange took longer than <see cref="FederationOptions.RequestTimeout"/>.</summary>
public sealed class RequestTimeoutException(Uri uri, TimeSpan timeout, Exception? innerException = null)
    : FederationHttpException($"No complete answer from {uri} within {timeout}.", innerException)
{
    public Uri Uri { get; } = uri;

    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>A redirect was refused: too many hops, a scheme other than http(s), or a downgrade from https.</summary>
public sealed class RedirectRefusedException(Uri from, Uri? to, string reason)
    : FederationHttpException($"Redirect from {from}{(to is null ? "" : $" to {to}")} refused: {reason}")
{
    public Uri From { get; } = from;

    public Uri? To { get; } = to;
}
