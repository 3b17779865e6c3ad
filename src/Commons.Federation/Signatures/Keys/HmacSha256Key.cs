using System.Security.Cryptography;

namespace Commons.Federation.Signatures.Keys;

/// <summary>Shared secret for hmac-sha256; it both signs and verifies.</summary>
public sealed class HmacSha256Key : SigningKey
{
    private readonly byte[] _secret;

    public HmacSha256Key(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("HMAC secrets must be at least 16 bytes.", nameof(secret));
        }
        _secret = secret.ToArray();
        VerificationKey = new Verifier(this);
    }

    public override KeyType KeyType => KeyType.Hmac;

    public override HttpSignatureAlgorithm DefaultAlgorithm => HttpSignatureAlgorithm.HmacSha256;

    public override VerificationKey VerificationKey { get; }

    public override bool Supports(HttpSignatureAlgorithm algorithm) => algorithm == HttpSignatureAlgorithm.HmacSha256;

    protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
        HMACSHA256.HashData(_secret, data);

    private sealed class Verifier(HmacSha256Key key) : VerificationKey
    {
        public override KeyType KeyType => KeyType.Hmac;

        public override HttpSignatureAlgorithm DefaultAlgorithm => HttpSignatureAlgorithm.HmacSha256;

        public override bool Supports(HttpSignatureAlgorithm algorithm) => algorithm == HttpSignatureAlgorithm.HmacSha256;

        protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
        {
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key._secret, data, expected);
            return CryptographicOperations.FixedTimeEquals(expected, signature);
        }
    }
}
