using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Integrity;

/// <summary>
/// Multikey encoding of Ed25519 keys (W3C Controlled Identifiers §2.2.2): multicodec header
/// 0xed 0x01 (ed25519-pub) or 0x80 0x26 (ed25519-priv) plus 32 key bytes, as multibase base58btc.
/// </summary>
public static class Multikey
{
    private static readonly byte[] Ed25519PublicHeader = [0xed, 0x01];
    private static readonly byte[] Ed25519PrivateHeader = [0x80, 0x26];
    private const int KeyLength = 32;

    public static string EncodeEd25519PublicKey(ReadOnlySpan<byte> rawPublicKey) => Encode(Ed25519PublicHeader, rawPublicKey);

    public static string EncodeEd25519PrivateKey(ReadOnlySpan<byte> seed) => Encode(Ed25519PrivateHeader, seed);

    public static byte[] DecodeEd25519PublicKey(string publicKeyMultibase) => Decode(Ed25519PublicHeader, publicKeyMultibase, "public");

    public static byte[] DecodeEd25519PrivateKey(string secretKeyMultibase) => Decode(Ed25519PrivateHeader, secretKeyMultibase, "private");

    public static Ed25519VerificationKey ToVerificationKey(string publicKeyMultibase) =>
        Ed25519VerificationKey.FromRawPublicKey(DecodeEd25519PublicKey(publicKeyMultibase));

    public static Ed25519SigningKey ToSigningKey(string secretKeyMultibase) =>
        Ed25519SigningKey.FromSeed(DecodeEd25519PrivateKey(secretKeyMultibase));

    public static string Encode(Ed25519VerificationKey key) => EncodeEd25519PublicKey(key.ExportRawPublicKey());

    private static string Encode(byte[] header, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"Ed25519 keys are {KeyLength} bytes.", nameof(key));
        }
        var bytes = new byte[header.Length + KeyLength];
        header.CopyTo(bytes, 0);
        key.CopyTo(bytes.AsSpan(header.Length));
        return Multibase.EncodeBase58Btc(bytes);
    }

    private static byte[] Decode(byte[] header, string multibase, string kind)
    {
        var bytes = Multibase.DecodeBase58Btc(multibase);
        if (bytes.Length != header.Length + KeyLength || !bytes.AsSpan(0, header.Length).SequenceEqual(header))
        {
            throw new FormatException($"Not an Ed25519 {kind} Multikey.");
        }
        return bytes[header.Length..];
    }
}
