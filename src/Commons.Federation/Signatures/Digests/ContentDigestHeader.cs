using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Signatures.Digests;

/// <summary>
/// The RFC 9530 <c>Content-Digest</c> header: a structured field dictionary of algorithm keys
/// (<c>sha-256</c>, <c>sha-512</c>) to byte sequences.
/// </summary>
public static class ContentDigestHeader
{
    public const string Name = "Content-Digest";

    public static string Compute(ReadOnlySpan<byte> body, DigestAlgorithm algorithm = DigestAlgorithm.Sha256)
    {
        var item = new StructuredItem(StructuredBareItem.Bytes(DigestHashing.Hash(algorithm, body)), []);
        return StructuredDictionaryMember.ForItem(AlgorithmKey(algorithm), item).Serialize();
    }

    /// <summary>
    /// Recomputes every listed supported algorithm over <paramref name="body"/>; all of them must match,
    /// and at least one must be supported. Unknown algorithm keys are ignored.
    /// </summary>
    public static DigestVerificationOutcome Verify(string? headerValue, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return DigestVerificationOutcome.Missing;
        }
        IReadOnlyList<StructuredDictionaryMember> members;
        try
        {
            members = StructuredFieldParser.ParseDictionary(headerValue);
        }
        catch (StructuredFieldFormatException)
        {
            return DigestVerificationOutcome.Malformed;
        }
        var checkedAny = false;
        foreach (var member in members)
        {
            if (!TryParseAlgorithm(member.Key, out var algorithm))
            {
                continue;
            }
            if (member.Item?.Value.Kind != StructuredItemKind.ByteSequence)
            {
                return DigestVerificationOutcome.Malformed;
            }
            if (!DigestHashing.Matches(algorithm, body, member.Item.Value.AsBytes().Span))
            {
                return DigestVerificationOutcome.Mismatch;
            }
            checkedAny = true;
        }
        return checkedAny ? DigestVerificationOutcome.Valid : DigestVerificationOutcome.NoSupportedAlgorithm;
    }

    private static string AlgorithmKey(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => "sha-256",
        DigestAlgorithm.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static bool TryParseAlgorithm(string key, out DigestAlgorithm algorithm)
    {
        switch (key)
        {
            case "sha-256": algorithm = DigestAlgorithm.Sha256; return true;
            case "sha-512": algorithm = DigestAlgorithm.Sha512; return true;
            default: algorithm = default; return false;
        }
    }
}
