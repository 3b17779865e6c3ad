using NSec.Cryptography;

namespace Commons.Federation.Signatures.Keys;

/// <summary>Ed25519 public key (NSec/libsodium).</summary>
public sealed class Ed25519VerificationKey : VerificationKey
{
    public Ed25519VerificationKey(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Algorithm is not NSec.Cryptography.Ed25519)
        {
            throw new ArgumentException("Not an Ed25519 public key.", nameof(publicKey));
        }
        PublicKey = publicKey;
    }

    public PublicKey PublicKey { get; }

    public override KeyType KeyType => KeyType.Ed25519;

    public override HttpSignatureAlgorithm DefaultAlgorithm => HttpSignatureAlgorithm.Ed25519;

    public static Ed25519VerificationKey FromRawPublicKey(ReadOnlySpan<byte> rawPublicKey) =>
        new(PublicKey.Import(SignatureAlgorithm.Ed25519, rawPublicKey, KeyBlobFormat.RawPublicKey));

    public byte[] ExportRawPublicKey() => PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public override bool Supports(HttpSignatureAlgorithm algorithm) => algorithm == HttpSignatureAlgorithm.Ed25519;

    protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        SignatureAlgorithm.Ed25519.Verify(PublicKey, data, signature);
}

/// <summary>Ed25519 private key (NSec/libsodium). Signatures are deterministic.</summary>
public sealed class Ed25519SigningKey : SigningKey, IDisposable
{
    private readonly Key _key;

    public Ed25519SigningKey(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Algorithm is not NSec.Cryptography.Ed25519)
        {
            throw new ArgumentException("Not an Ed25519 key.", nameof(key));
        }
        _key = key;
        VerificationKey = new Ed25519VerificationKey(key.PublicKey);
    }

    public override KeyType KeyType => KeyType.Ed25519;

    public override HttpSignatureAlgorithm DefaultAlgorithm => HttpSignatureAlgorithm.Ed25519;

    public override VerificationKey VerificationKey { get; }

    public Ed25519VerificationKey PublicKey => (Ed25519VerificationKey)VerificationKey;

    /// <summary>Creates a key from its 32-byte seed (the raw private key).</summary>
    public static Ed25519SigningKey FromSeed(ReadOnlySpan<byte> seed) =>
        new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Exportable()));

    /// <summary>Creates a new random key.</summary>
    public static Ed25519SigningKey Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, Exportable()));

    public byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    public override bool Supports(HttpSignatureAlgorithm algorithm) => algorithm == HttpSignatureAlgorithm.Ed25519;

    protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
        SignatureAlgorithm.Ed25519.Sign(_key, data);

    public void Dispose() => _key.Dispose();

    internal static KeyCreationParameters Exportable() =>
        new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
}
