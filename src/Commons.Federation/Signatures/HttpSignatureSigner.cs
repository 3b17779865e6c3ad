// Hand-written (see HttpSignatureVerifier.cs): signs outgoing requests the way Mastodon-style peers expect.

using Commons.Federation.Signatures.Cavage;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Signatures.Rfc9421;

namespace Commons.Federation.Signatures;

/// <summary>
/// Signs outgoing <see cref="HttpRequestMessage"/>s: sets Date (and Host), adds a body digest
/// (Content-Digest for RFC 9421, Digest for cavage) to requests with a body and to every POST, then adds
/// the signature headers.
/// RFC 9421 covers <c>@method @target-uri @authority [content-digest] date</c> with created and keyid;
/// cavage covers <c>(request-target) host date [digest]</c>.
/// </summary>
public static class HttpSignatureSigner
{
    public const string SignatureLabel = "sig1";

    // The same identifiers for every request (each keeps its serialization once made).
    private static readonly ComponentIdentifier[] Covered =
        [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Authority, ComponentIdentifier.Header("date")];

    private static readonly ComponentIdentifier[] CoveredWithDigest =
        [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Authority, ComponentIdentifier.Header("content-digest"), ComponentIdentifier.Header("date")];

    public static void SignRequest(HttpRequestMessage request, SigningKey key, string keyId, HttpSignatureScheme scheme, DateTimeOffset now)
    {
        Prepare(request, now);
        var message = HttpRequestMessageAdapter.ToSignable(request);
        Sign(request, message, key, keyId, scheme, now);
    }

    public static async Task SignRequestAsync(HttpRequestMessage request, SigningKey key, string keyId, HttpSignatureScheme scheme, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Prepare(request, now);
        var message = await HttpRequestMessageAdapter.ToSignableAsync(request, cancellationToken).ConfigureAwait(false);
        Sign(request, message, key, keyId, scheme, now);
    }

    /// <summary>
    /// Sets <paramref name="body"/> as the request's content (of type <paramref name="contentType"/>) and signs the request:
    /// the signed bytes and the digest are the body's own, so the content is not buffered and read back, and a body sent to
    /// many inboxes is hashed once.
    /// </summary>
    public static void SignRequest(HttpRequestMessage request, DigestedBody body, string contentType, SigningKey key, string keyId, HttpSignatureScheme scheme, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        Prepare(request, now);
        request.Content = body.ToContent();
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var message = HttpRequestMessageAdapter.ToSignable(request, body.Bytes);
        Sign(request, message, key, keyId, scheme, now, body);
    }

    private static void Prepare(HttpRequestMessage request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request needs an absolute RequestUri.", nameof(request));
        }
        foreach (var name in new[] { "Date", "Digest", "Content-Digest", "Signature", "Signature-Input" })
        {
            request.Headers.Remove(name);
        }
        request.Headers.Date = now.ToUniversalTime();
        request.Headers.Host ??= uri.Authority;
    }

    private static void Sign(HttpRequestMessage request, SignableHttpMessage message, SigningKey key, string keyId, HttpSignatureScheme scheme, DateTimeOffset now,
        DigestedBody? digested = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var needsDigest = message.HasBody || request.Method == HttpMethod.Post;
        var body = message.Body.GetValueOrDefault().Span;
        switch (scheme)
        {
            case HttpSignatureScheme.Rfc9421:
            {
                if (needsDigest)
                {
                    AddHeader(request, message, ContentDigestHeader.Name, digested?.ContentDigest ?? ContentDigestHeader.Compute(body, DigestAlgorithm.Sha256));
                }
                var components = needsDigest ? CoveredWithDigest : Covered;
                var parameters = new SignatureParameters().WithCreated(now).WithKeyId(keyId);
                var result = Rfc9421MessageSigner.Sign(message, new SignatureInput(SignatureLabel, components, parameters), key);
                request.Headers.TryAddWithoutValidation(Rfc9421HeaderNames.SignatureInput, result.SignatureInputHeaderValue);
                request.Headers.TryAddWithoutValidation(Rfc9421HeaderNames.Signature, result.SignatureHeaderValue);
                break;
            }
            case HttpSignatureScheme.Cavage12:
            {
                var headers = new List<string> { CavageSigningString.RequestTarget, "host", "date" };
                if (needsDigest)
                {
                    AddHeader(request, message, LegacyDigestHeader.Name, digested?.LegacyDigest ?? LegacyDigestHeader.Compute(body, DigestAlgorithm.Sha256));
                    headers.Add("digest");
                }
                var signature = CavageMessageSigner.Sign(message, key, keyId, headers);
                request.Headers.TryAddWithoutValidation(CavageSignatureHeader.Name, signature.Serialize());
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme));
        }
    }

    private static void AddHeader(HttpRequestMessage request, SignableHttpMessage message, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        message.Headers.Set(name, value);
    }
}
