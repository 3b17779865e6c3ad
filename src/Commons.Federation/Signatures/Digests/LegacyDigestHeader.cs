namespace Commons.Federation.Signatures.Digests;

/// <summary>
/// The RFC 3230 <c>Digest</c> header as used with draft-cavage signatures: <c>SHA-256=base64</c>,
/// possibly several comma-separated entries. Algorithm names are case-insensitive.
/// </summary>
public static class LegacyDigestHeader
{
    public const string Name = "Digest";

    public static string Compute(ReadOnlySpan<byte> body, DigestAlgorithm algorithm = DigestAlgorithm.Sha256) =>
        AlgorithmName(algorithm) + "=" + Convert.ToBase64String(DigestHashing.Hash(algorithm, body));

    /// <summary>
    /// Recomputes every listed supported algorithm over <paramref name="body"/>; all of them must match,
    /// and at least one must be supported.
    /// </summary>
    public static DigestVerificationOutcome Verify(string? headerValue, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return DigestVerificationOutcome.Missing;
        }
        var checkedAny = false;
        foreach (var entry in headerValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return DigestVerificationOutcome.Malformed;
            }
            if (!TryParseAlgorithm(entry[..equals], out var algorithm))
            {
                continue;
            }
            byte[] expected;
            try
            {
                expected = Convert.FromBase64String(entry[(equals + 1)..]);
            }
            catch (FormatException)
            {
                return DigestVerificationOutcome.Malformed;
            }
            if (!DigestHashing.Matches(algorithm, body, expected))
            {
                return DigestVerificationOutcome.Mismatch;
            }
            checkedAny = true;
        }
        return checkedAny ? DigestVerificationOutcome.Valid : DigestVerificationOutcome.NoSupportedAlgorithm;
    }

    private static string AlgorithmName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha512 => "SHA-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static bool TryParseAlgorithm(string name, out DigestAlgorithm algorithm)
    {
        if (name.Trim().Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }
        if (name.Trim().Equals("SHA-512", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha512;
            return true;
        }
        algorithm = default;
        return false;
    }
}
