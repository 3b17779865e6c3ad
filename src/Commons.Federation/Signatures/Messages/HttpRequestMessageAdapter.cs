namespace Commons.Federation.Signatures.Messages;

/// <summary>Builds a <see cref="SignableHttpMessage"/> from a System.Net.Http <see cref="HttpRequestMessage"/>.</summary>
public static class HttpRequestMessageAdapter
{
    public static async Task<SignableHttpMessage> ToSignableAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[]? body = null;
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        return Build(request, body);
    }

    /// <summary>Synchronous variant for callers that cannot await; the content is buffered in memory.</summary>
    public static SignableHttpMessage ToSignable(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[]? body = null;
        if (request.Content is not null)
        {
            // Once the content is buffered both calls complete synchronously. The buffered stream must not be
            // disposed here: HttpContent hands out the same buffer again when the request is sent.
            request.Content.LoadIntoBufferAsync().GetAwaiter().GetResult();
            body = request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }
        return Build(request, body);
    }

    /// <summary>The request as signed, with <paramref name="body"/> as its body: the caller set that very body as the content.</summary>
    public static SignableHttpMessage ToSignable(HttpRequestMessage request, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Build(request, body);
    }

    private static SignableHttpMessage Build(HttpRequestMessage request, ReadOnlyMemory<byte>? body)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no RequestUri.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute.", nameof(request));
        }
        var headers = new HttpHeaderMultiMap();
        foreach (var header in request.Headers.NonValidated)
        {
            headers.Add(header.Key, header.Value);
        }
        if (!headers.Contains("Host"))
        {
            headers.Add("Host", uri.Authority);
        }
        if (request.Content is not null)
        {
            if (request.Content.Headers.ContentLength is null && body is { } bytes)
            {
                request.Content.Headers.ContentLength = bytes.Length;
            }
            foreach (var header in request.Content.Headers.NonValidated)
            {
                headers.Add(header.Key, header.Value);
            }
        }
        return SignableHttpMessage.ForRequest(request.Method.Method, uri, headers, body);
    }
}
