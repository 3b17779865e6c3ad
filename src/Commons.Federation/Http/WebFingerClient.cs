using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Commons.Federation.Http;

/// <summary>WebFinger could not turn a handle into an actor URL: bad handle, error status, or a JRD without a usable self link.</summary>
public sealed class WebFingerException(string resource, string reason, HttpStatusCode? statusCode = null, Exception? innerException = null)
    : FederationHttpException($"WebFinger lookup of '{resource}' failed: {reason}", innerException)
{
    public string Resource { get; } = resource;

    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary>A parsed <c>user@host</c> handle; <see cref="Host"/> may carry a port.</summary>
public sealed record AccountHandle(string User, string Host)
{
    /// <summary>The WebFinger resource, <c>acct:user@host</c>.</summary>
    public string Resource => $"acct:{User}@{Host}";

    public override string ToString() => $"{User}@{Host}";

    /// <summary>Accepts <c>acct:user@host</c>, <c>user@host</c> and <c>@user@host</c>; the host may carry a port.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AccountHandle? handle)
    {
        handle = null;
        var value = text?.Trim() ?? "";
        if (value.StartsWith("acct:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[5..];
        }
        else if (value.StartsWith('@'))
        {
            value = value[1..];
        }
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            return false;
        }
        var user = value[..at];
        var host = value[(at + 1)..].ToLowerInvariant();
        if (user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or '/' or '?' or '#') || !IsHostWithOptionalPort(host))
        {
            return false;
        }
        handle = new AccountHandle(user, host);
        return true;
    }

    private static bool IsHostWithOptionalPort(string host)
    {
        var name = host;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }
            name = host[..(close + 1)];
            var rest = host[(close + 1)..];
            return Uri.CheckHostName(name) == UriHostNameType.IPv6 && (rest.Length == 0 || (rest[0] == ':' && IsPort(rest[1..])));
        }
        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!IsPort(host[(colon + 1)..]))
            {
                return false;
            }
            name = host[..colon];
        }
        return DomainPolicy.TryNormalize(name, out _);
    }

    private static bool IsPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
}

/// <summary>
/// Resolves <c>acct:user@host</c> to the actor URL through <c>/.well-known/webfinger</c> (signed GET): the
/// <c>self</c> link of type <c>application/activity+json</c> or <c>application/ld+json</c> with the
/// ActivityStreams profile. Uses https, or http when <see cref="FederationOptions.AllowPrivateNetworks"/> is set
/// (local tests and the quickstart run on http://127.0.0.1:port).
/// </summary>
public sealed class WebFingerClient
{
    public const string JrdAccept = "application/jrd+json, application/json";

    private readonly SignedHttpClient _http;
    private readonly SigningIdentity _signer;

    public WebFingerClient(SignedHttpClient http, SigningIdentity signer)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
    }

    public Uri QueryUri(AccountHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var scheme = _http.Options.AllowPrivateNetworks ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new Uri($"{scheme}://{handle.Host}/.well-known/webfinger?resource={Uri.EscapeDataString(handle.Resource)}");
    }

    /// <summary>The actor URL of <paramref name="handle"/> (<c>acct:user@host</c>, <c>user@host</c> or <c>@user@host</c>).</summary>
    /// <exception cref="WebFingerException">Bad handle, non-200 answer, or no usable self link.</exception>
    public async Task<Uri> ResolveActorAsync(string handle, CancellationToken cancellationToken = default)
    {
        if (!AccountHandle.TryParse(handle, out var parsed))
        {
            throw new WebFingerException(handle ?? "", "not a user@host handle.");
        }
        var response = await _http.GetAsync(QueryUri(parsed), _signer, JrdAccept, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new WebFingerException(parsed.Resource, $"the server answered {(int)response.StatusCode}.", response.StatusCode);
        }
        JsonElement jrd;
        try
        {
            using var document = JsonDocument.Parse(response.Body, new JsonDocumentOptions { MaxDepth = 32 });
            jrd = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new WebFingerException(parsed.Resource, "the answer is not JSON.", response.StatusCode, e);
        }
        return SelectActorLink(jrd) ?? throw new WebFingerException(parsed.Resource, "the JRD has no self link to an ActivityPub actor.", response.StatusCode);
    }

    /// <summary>The href of the first ActivityPub <c>self</c> link of a JRD, or null when there is none.</summary>
    public static Uri? SelectActorLink(JsonElement jrd)
    {
        if (jrd.ValueKind != JsonValueKind.Object || !jrd.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object
                && StringProperty(link, "rel") == "self"
                && IsActivityPubType(StringProperty(link, "type"))
                && StringProperty(link, "href") is { } href
                && Uri.TryCreate(href, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                return uri;
            }
        }
        return null;
    }

    /// <summary><c>application/activity+json</c>, or <c>application/ld+json</c> with the ActivityStreams profile.</summary>
    public static bool IsActivityPubType(string? mediaType)
    {
        if (mediaType is null || !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(mediaType, out var parsed))
        {
            return false;
        }
        if (string.Equals(parsed.MediaType, SignedHttpClient.ActivityJsonMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!string.Equals(parsed.MediaType, "application/ld+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var profile = parsed.Parameters.FirstOrDefault(p => string.Equals(p.Name, "profile", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        return profile is not null && profile.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(SignedHttpClient.ActivityStreamsProfile, StringComparer.Ordinal);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
