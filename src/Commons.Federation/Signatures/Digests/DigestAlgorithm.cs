using System.Security.Cryptography;

namespace Commons.Federation.Signatures.Digests;

/// <summary>Body digest algorithms supported for Digest (RFC 3230) and Content-Digest (RFC 9530).</summary>
public enum DigestAlgorithm
{
    Sha256,
    Sha512,
}

/// <summary>Outcome of checking a digest header against a body.</summary>
public enum DigestVerificationOutcome
{
    Valid,
    /// <summary>The header is absent or empty.</summary>
    Missing,
    /// <summary>A supported algorithm's value differs from the body's digest.</summary>
    Mismatch,
    /// <summary>The header lists only algorithms this library does not implement.</summary>
    NoSupportedAlgorithm,
    /// <summary>The header cannot be parsed.</summary>
    Malformed,
}

internal static class DigestHashing
{
    public static byte[] Hash(DigestAlgorithm algorithm, ReadOnlySpan<byte> body) => algorithm switch
    {
        DigestAlgorithm.Sha256 => SHA256.HashData(body),
        DigestAlgorithm.Sha512 => SHA512.HashData(body),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static bool Matches(DigestAlgorithm algorithm, ReadOnlySpan<byte> body, ReadOnlySpan<byte> expected) =>
        CryptographicOperations.FixedTimeEquals(Hash(algorithm, body), expected);
}
