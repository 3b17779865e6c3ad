// Hand-written implementation of HTTP Message Signatures (RFC 9421) and draft-cavage-http-signatures-12:
// no maintained .NET package for them is available from the package sources this project uses.

using System.Globalization;
using Commons.Federation.Signatures.Cavage;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Signatures.Rfc9421;
using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Signatures;

/// <summary>
/// Verifies incoming signed requests of either scheme (Signature-Input present means RFC 9421, otherwise
/// a cavage Signature header) with the policy fediverse servers apply: body digest checked against the
/// body, Date/created within the allowed skew, target, authority and digest covered, key resolved by keyId.
/// Cheap checks run before the key is resolved, so a bad request never causes a key fetch.
/// </summary>
public sealed class HttpSignatureVerifier
{
    private readonly Func<string, CancellationToken, Task<VerificationKey?>> _resolveKey;
    private readonly TimeProvider _clock;
    private readonly HttpSignatureVerifierOptions _options;

    /// <param name="resolveKey">Looks up the public key for a keyId (e.g. by fetching the actor); null when not found.</param>
    /// <param name="clock">Source of "now" for Date/created checks.</param>
    public HttpSignatureVerifier(Func<string, CancellationToken, Task<VerificationKey?>> resolveKey, TimeProvider clock, HttpSignatureVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resolveKey);
        _resolveKey = resolveKey;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? new HttpSignatureVerifierOptions();
    }

    public async Task<SignatureVerificationResult> VerifyAsync(SignableHttpMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Headers.Contains(Rfc9421HeaderNames.SignatureInput))
        {
            return await VerifyRfc9421Async(message, cancellationToken).ConfigureAwait(false);
        }
        var cavageHeader = message.Headers.GetCombinedValue(CavageSignatureHeader.Name) ?? AuthorizationSignature(message);
        if (cavageHeader is null)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingSignature, "Neither Signature-Input nor Signature is present.");
        }
        return await VerifyCavageAsync(message, cavageHeader, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SignatureVerificationResult> VerifyAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        await VerifyAsync(await HttpRequestMessageAdapter.ToSignableAsync(request, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<SignatureVerificationResult> VerifyRfc9421Async(SignableHttpMessage message, CancellationToken cancellationToken)
    {
        const HttpSignatureScheme scheme = HttpSignatureScheme.Rfc9421;
        var signatureHeader = message.Headers.GetCombinedValue(Rfc9421HeaderNames.Signature);
        if (signatureHeader is null)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MalformedSignature, "Signature-Input is present but Signature is not.", scheme);
        }
        LabelledSignature signature;
        try
        {
            // Only the first signature is evaluated; further labels (e.g. proxies') are ignored.
            signature = Rfc9421SignatureHeaders.Parse(message.Headers.GetCombinedValue(Rfc9421HeaderNames.SignatureInput)!, signatureHeader)[0];
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MalformedSignature, e.Message, scheme);
        }
        var input = signature.Input;
        var keyId = input.Parameters.KeyId;
        if (string.IsNullOrEmpty(keyId))
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MalformedSignature, "The signature has no keyid parameter.", scheme);
        }
        if (input.Parameters.Algorithm is { } alg && !HttpSignatureAlgorithmNames.TryParse(alg, out _))
        {
            return Fail(SignatureVerificationFailure.UnsupportedAlgorithm, $"Unsupported algorithm '{alg}'.");
        }

        var dateCovered = input.Covers("date");
        var policy = CheckTimes(message, input.Parameters.Created, input.Parameters.Expires, dateCovered)
            ?? CheckCovered(message, input.Covers, DerivedComponentNames.Method)
            ?? CheckCoveredAny(message, input.Covers, "target", DerivedComponentNames.TargetUri, DerivedComponentNames.RequestTarget, DerivedComponentNames.Path)
            ?? CheckCoveredAny(message, input.Covers, "authority", DerivedComponentNames.Authority, "host")
            ?? CheckDigest(message, input.Covers);
        if (policy is not null)
        {
            return policy with { Scheme = scheme, KeyId = keyId };
        }

        var key = await _resolveKey(keyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return Fail(SignatureVerificationFailure.UnknownKey, $"No key found for '{keyId}'.");
        }
        if (Rfc9421MessageVerifier.SelectAlgorithm(input, key) is null)
        {
            return Fail(SignatureVerificationFailure.UnsupportedAlgorithm, $"Algorithm '{input.Parameters.Algorithm ?? key.DefaultAlgorithm.ToName()}' does not suit the {key.KeyType} key.");
        }
        return VerifyWithQueryTolerance(message, m => Rfc9421MessageVerifier.Verify(m, signature, key), scheme, keyId);

        SignatureVerificationResult Fail(SignatureVerificationFailure failure, string detail) =>
            SignatureVerificationResult.Fail(failure, detail, scheme, keyId);
    }

    private async Task<SignatureVerificationResult> VerifyCavageAsync(SignableHttpMessage message, string headerValue, CancellationToken cancellationToken)
    {
        const HttpSignatureScheme scheme = HttpSignatureScheme.Cavage12;
        CavageSignatureHeader signature;
        try
        {
            signature = CavageSignatureHeader.Parse(headerValue);
        }
        catch (FormatException e)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MalformedSignature, e.Message, scheme);
        }
        var keyId = signature.KeyId;
        if (!CavageAlgorithms.IsKnown(signature.Algorithm))
        {
            return Fail(SignatureVerificationFailure.UnsupportedAlgorithm, $"Unsupported algorithm '{signature.Algorithm}'.");
        }
        bool Covers(string name) => signature.Headers.Contains(name);
        var dateCovered = Covers("date");
        var created = Covers(CavageSigningString.Created) ? signature.Created : null;
        if (Covers(CavageSigningString.Created) && created is null)
        {
            return Fail(SignatureVerificationFailure.MalformedSignature, "(created) is covered but the created parameter is absent.");
        }
        var policy = CheckTimes(message, created, signature.Expires, dateCovered)
            ?? CheckCovered(message, Covers, CavageSigningString.RequestTarget)
            ?? CheckCovered(message, Covers, "host")
            ?? CheckDigest(message, Covers);
        if (policy is not null)
        {
            return policy with { Scheme = scheme, KeyId = keyId };
        }

        var key = await _resolveKey(keyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return Fail(SignatureVerificationFailure.UnknownKey, $"No key found for '{keyId}'.");
        }
        if (CavageAlgorithms.Resolve(signature.Algorithm, key) is null)
        {
            return Fail(SignatureVerificationFailure.UnsupportedAlgorithm, $"Algorithm '{signature.Algorithm}' does not suit the {key.KeyType} key.");
        }
        return VerifyWithQueryTolerance(message, m => CavageMessageVerifier.Verify(m, signature, key), scheme, keyId);

        SignatureVerificationResult Fail(SignatureVerificationFailure failure, string detail) =>
            SignatureVerificationResult.Fail(failure, detail, scheme, keyId);
    }

    private SignatureVerificationResult VerifyWithQueryTolerance(SignableHttpMessage message, Func<SignableHttpMessage, bool> verify, HttpSignatureScheme scheme, string keyId)
    {
        try
        {
            if (verify(message))
            {
                return SignatureVerificationResult.Success(scheme, keyId);
            }
            var uri = message.TargetUri;
            if (_options.AllowQueryStringTolerance && uri is not null && uri.Query.Length > 0)
            {
                var withoutQuery = message.WithTargetUri(new Uri(uri.GetLeftPart(UriPartial.Path)));
                if (verify(withoutQuery))
                {
                    return SignatureVerificationResult.Success(scheme, keyId, verifiedWithoutQuery: true);
                }
            }
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.BadSignature, "The signature does not verify.", scheme, keyId);
        }
        catch (SignatureComponentException e)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingRequiredComponent, e.Message, scheme, keyId);
        }
        catch (NotSupportedException e)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.UnsupportedAlgorithm, e.Message, scheme, keyId);
        }
    }

    private SignatureVerificationResult? CheckTimes(SignableHttpMessage message, DateTimeOffset? created, DateTimeOffset? expires, bool dateCovered)
    {
        var now = _clock.GetUtcNow();
        var skew = _options.MaxClockSkew;
        DateTimeOffset? date = null;
        if (dateCovered)
        {
            var dateText = message.Headers.GetCombinedValue("date");
            if (dateText is null)
            {
                return SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingRequiredComponent, "Date is covered but absent.");
            }
            if (!DateTimeOffset.TryParseExact(dateText, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return SignatureVerificationResult.Fail(SignatureVerificationFailure.MalformedSignature, $"Date '{dateText}' is not an HTTP date.");
            }
            date = parsed;
        }
        if (created is null && date is null)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingRequiredComponent, "The signature covers neither Date nor a creation time.");
        }
        foreach (var time in new[] { created, date })
        {
            if (time is null)
            {
                continue;
            }
            if (time.Value < now - skew)
            {
                return SignatureVerificationResult.Fail(SignatureVerificationFailure.Expired, $"Signed at {time.Value:O}, more than {skew} ago.");
            }
            if (time.Value > now + skew)
            {
                return SignatureVerificationResult.Fail(SignatureVerificationFailure.FromFuture, $"Signed at {time.Value:O}, more than {skew} ahead.");
            }
        }
        if (expires is { } e && e < now - skew)
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.Expired, $"The signature expired at {e:O}.");
        }
        return null;
    }

    private static SignatureVerificationResult? CheckCovered(SignableHttpMessage message, Func<string, bool> covers, string component) =>
        covers(component) || !message.IsRequest
            ? null
            : SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingRequiredComponent, $"The signature does not cover {component}.");

    private static SignatureVerificationResult? CheckCoveredAny(SignableHttpMessage message, Func<string, bool> covers, string what, params string[] components) =>
        components.Any(covers) || !message.IsRequest
            ? null
            : SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingRequiredComponent, $"The signature covers no {what} ({string.Join(", ", components)}).");

    /// <summary>
    /// A request with a body (or any POST) needs a Digest or Content-Digest that matches the body and is covered.
    /// Any digest header that is present is checked, body or not.
    /// </summary>
    private static SignatureVerificationResult? CheckDigest(SignableHttpMessage message, Func<string, bool> covers)
    {
        var body = message.Body.GetValueOrDefault().Span;
        var contentDigest = message.Headers.GetCombinedValue(ContentDigestHeader.Name);
        var legacyDigest = message.Headers.GetCombinedValue(LegacyDigestHeader.Name);
        var required = message.HasBody || string.Equals(message.Method, "POST", StringComparison.OrdinalIgnoreCase);
        if (contentDigest is null && legacyDigest is null)
        {
            return required
                ? SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingDigest, "The request has a body but no Digest or Content-Digest.")
                : null;
        }
        var outcomes = new List<DigestVerificationOutcome>();
        if (contentDigest is not null)
        {
            outcomes.Add(ContentDigestHeader.Verify(contentDigest, body));
        }
        if (legacyDigest is not null)
        {
            outcomes.Add(LegacyDigestHeader.Verify(legacyDigest, body));
        }
        if (outcomes.Contains(DigestVerificationOutcome.Mismatch))
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.DigestMismatch, "The body does not match its digest.");
        }
        if (outcomes.Contains(DigestVerificationOutcome.Malformed))
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.DigestMismatch, "The digest header cannot be parsed.");
        }
        if (!outcomes.Contains(DigestVerificationOutcome.Valid))
        {
            return SignatureVerificationResult.Fail(SignatureVerificationFailure.UnsupportedAlgorithm, "The digest uses no supported algorithm.");
        }
        var covered = (contentDigest is not null && covers("content-digest")) || (legacyDigest is not null && covers("digest"));
        return covered || !required
            ? null
            : SignatureVerificationResult.Fail(SignatureVerificationFailure.MissingRequiredComponent, "The signature does not cover the digest.");
    }

    private static string? AuthorizationSignature(SignableHttpMessage message)
    {
        var authorization = message.Headers.GetCombinedValue("Authorization");
        const string prefix = "Signature ";
        return authorization is not null && authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[prefix.Length..]
            : null;
    }
}
