namespace Commons.Federation.Integrity;

/// <summary>Multibase strings in the base58btc encoding (prefix 'z'), the only one Data Integrity uses here.</summary>
public static class Multibase
{
    public const char Base58BtcPrefix = 'z';

    /// <summary>
    /// The longest base58btc text decoded: a value from a peer (a proof's <c>proofValue</c>, a key's
    /// <c>publicKeyMultibase</c>) and base58 decoding takes time quadratic in its length, so a megabyte of digits in one
    /// activity would hold a core for many seconds. An Ed25519 signature is 88 characters, a Multikey 48.
    /// </summary>
    public const int MaxBase58BtcLength = 256;

    public static string EncodeBase58Btc(ReadOnlySpan<byte> data) => Base58BtcPrefix + Base58Btc.Encode(data);

    public static byte[] DecodeBase58Btc(string multibase)
    {
        ArgumentNullException.ThrowIfNull(multibase);
        if (multibase.Length < 2 || multibase[0] != Base58BtcPrefix)
        {
            throw new FormatException("Expected a base58btc multibase string starting with 'z'.");
        }
        if (multibase.Length > MaxBase58BtcLength)
        {
            throw new FormatException($"A base58btc multibase string of {multibase.Length} characters is longer than the {MaxBase58BtcLength} accepted.");
        }
        return Base58Btc.Decode(multibase[1..]);
    }
}
