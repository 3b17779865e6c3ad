using Commons.Federation.Signatures.Messages;

namespace Commons.Node.Federation;

/// <summary>Builds the signature library's message from an ASP.NET request and its already-read body.</summary>
public static class AspNetSignableRequest
{
    /// <param name="publicScheme">The scheme peers used (from Commons:PublicUrl), since a reverse proxy may have terminated TLS.</param>
    public static SignableHttpMessage From(HttpRequest request, ReadOnlyMemory<byte>? body, string publicScheme)
    {
        var headers = new HttpHeaderMultiMap();
        foreach (var (name, values) in request.Headers)
            foreach (var v in values)
                if (v is not null) headers.Add(name, v);
        var target = new Uri($"{publicScheme}://{request.Host.Value}{request.PathBase}{request.Path}{request.QueryString}");
        return SignableHttpMessage.ForRequest(request.Method, target, headers, body is { Length: > 0 } ? body : null);
    }
}
