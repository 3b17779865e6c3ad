using System.Security.Cryptography;

namespace Commons.Federation.Signatures.Keys;

internal static class RsaAlgorithms
{
    public static bool Supports(HttpSignatureAlgorithm algorithm) =>
        algorithm is HttpSignatureAlgorithm.RsaPkcs1Sha256 or HttpSignatureAlgorithm.RsaPssSha512;

    public static (HashAlgorithmName Hash, RSASignaturePadding Padding) Parameters(HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.RsaPkcs1Sha256 => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        // .NET's PSS uses a salt as long as the hash, as RFC 9421 §3.3.1 requires.
        HttpSignatureAlgorithm.RsaPssSha512 => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}

/// <summary>RSA public key for rsa-v1_5-sha256, rsa-pss-sha512 and cavage rsa-sha256/hs2019.</summary>
public sealed class RsaVerificationKey(RSA rsa, HttpSignatureAlgorithm defaultAlgorithm = HttpSignatureAlgorithm.RsaPkcs1Sha256) : VerificationKey
{
    private readonly RSA _rsa = rsa ?? throw new ArgumentNullException(nameof(rsa));

    public override KeyType KeyType => KeyType.Rsa;

    public override HttpSignatureAlgorithm DefaultAlgorithm { get; } = RsaAlgorithms.Supports(defaultAlgorithm)
        ? defaultAlgorithm
        : throw new ArgumentOutOfRangeException(nameof(defaultAlgorithm));

    public int KeySizeInBits => _rsa.KeySize;

    public override bool Supports(HttpSignatureAlgorithm algorithm) => RsaAlgorithms.Supports(algorithm);

    protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var (hash, padding) = RsaAlgorithms.Parameters(algorithm);
        try
        {
            return _rsa.VerifyData(data, signature, hash, padding);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>RSA private key.</summary>
public sealed class RsaSigningKey : SigningKey
{
    private readonly RSA _rsa;

    public RsaSigningKey(RSA rsa, HttpSignatureAlgorithm defaultAlgorithm = HttpSignatureAlgorithm.RsaPkcs1Sha256)
    {
        _rsa = rsa ?? throw new ArgumentNullException(nameof(rsa));
        if (!RsaAlgorithms.Supports(defaultAlgorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultAlgorithm));
        }
        DefaultAlgorithm = defaultAlgorithm;
        var publicRsa = RSA.Create();
        publicRsa.ImportParameters(rsa.ExportParameters(includePrivateParameters: false));
        VerificationKey = new RsaVerificationKey(publicRsa, defaultAlgorithm);
    }

    public override KeyType KeyType => KeyType.Rsa;

    public override HttpSignatureAlgorithm DefaultAlgorithm { get; }

    public override VerificationKey VerificationKey { get; }

    public override bool Supports(HttpSignatureAlgorithm algorithm) => RsaAlgorithms.Supports(algorithm);

    /// <summary>The public key as SPKI PEM ("PUBLIC KEY"), the form ActivityPub actors publish.</summary>
    public string ExportPublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        var (hash, padding) = RsaAlgorithms.Parameters(algorithm);
        return _rsa.SignData(data.ToArray(), hash, padding);
    }
}
