namespace Commons.Federation.Signatures;

/// <summary>Why a signed request was rejected.</summary>
public enum SignatureVerificationFailure
{
    MissingSignature,
    MalformedSignature,
    UnknownKey,
    BadSignature,
    DigestMismatch,
    MissingDigest,
    Expired,
    FromFuture,
    MissingRequiredComponent,
    UnsupportedAlgorithm,
}

/// <summary>Outcome of <see cref="HttpSignatureVerifier.VerifyAsync"/>.</summary>
public sealed record SignatureVerificationResult
{
    public bool IsValid => Failure is null;

    public SignatureVerificationFailure? Failure { get; internal init; }

    /// <summary>The keyId the signature names (when it could be read).</summary>
    public string? KeyId { get; internal init; }

    public HttpSignatureScheme? Scheme { get; internal init; }

    /// <summary>Human-readable explanation for logs; never shown as proof of anything.</summary>
    public string? Detail { get; internal init; }

    /// <summary>True when the signature only verified after the query string was removed from the target.</summary>
    public bool VerifiedWithoutQuery { get; internal init; }

    public static SignatureVerificationResult Success(HttpSignatureScheme scheme, string keyId, bool verifiedWithoutQuery = false) =>
        new() { Scheme = scheme, KeyId = keyId, VerifiedWithoutQuery = verifiedWithoutQuery };

    public static SignatureVerificationResult Fail(SignatureVerificationFailure failure, string detail, HttpSignatureScheme? scheme = null, string? keyId = null) =>
        new() { Failure = failure, Detail = detail, Scheme = scheme, KeyId = keyId };

    public override string ToString() =>
        IsValid ? $"Valid {Scheme} signature by {KeyId}" : $"{Failure}: {Detail}";
}
