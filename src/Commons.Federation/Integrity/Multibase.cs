namespace Commons.Federation.Integrity;

/// <summary>Multibase strings in the base58btc encoding (prefix 'z'), the only one Data Integrity uses here.</summary>
public static class Multibase
{
    public const char Base58BtcPrefix = 'z';

    public static string EncodeBase58Btc(ReadOnlySpan<byte> data) => Base58BtcPrefix + Base58Btc.Encode(data);

    public static byte[] DecodeBase58Btc(string multibase)
    {
        ArgumentNullException.ThrowIfNull(multibase);
        if (multibase.Length < 2 || multibase[0] != Base58BtcPrefix)
        {
            throw new FormatException("Expected a base58btc multibase string starting with 'z'.");
        }
        return Base58Btc.Decode(multibase[1..]);
    }
}
