using System.Security.Cryptography;

namespace Commons.Federation.Signatures.Keys;

/// <summary>ECDSA P-256 public key; signatures are raw r‖s (IEEE P1363), as RFC 9421 §3.3.4 requires.</summary>
public sealed class EcdsaP256VerificationKey : VerificationKey
{
    private readonly ECDsa _ecdsa;

    public EcdsaP256VerificationKey(ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        EcdsaP256.RequireP256(ecdsa);
        _ecdsa = ecdsa;
    }

    public override KeyType KeyType => KeyType.EcdsaP256;

    public override HttpSignatureAlgorithm DefaultAlgorithm => HttpSignatureAlgorithm.EcdsaP256Sha256;

    public override bool Supports(HttpSignatureAlgorithm algorithm) => algorithm == HttpSignatureAlgorithm.EcdsaP256Sha256;

    protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}

/// <summary>ECDSA P-256 private key.</summary>
public sealed class EcdsaP256SigningKey : SigningKey
{
    private readonly ECDsa _ecdsa;

    public EcdsaP256SigningKey(ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        EcdsaP256.RequireP256(ecdsa);
        _ecdsa = ecdsa;
        var publicKey = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
        VerificationKey = new EcdsaP256VerificationKey(publicKey);
    }

    public override KeyType KeyType => KeyType.EcdsaP256;

    public override HttpSignatureAlgorithm DefaultAlgorithm => HttpSignatureAlgorithm.EcdsaP256Sha256;

    public override VerificationKey VerificationKey { get; }

    public override bool Supports(HttpSignatureAlgorithm algorithm) => algorithm == HttpSignatureAlgorithm.EcdsaP256Sha256;

    protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
        _ecdsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}

internal static class EcdsaP256
{
    public static void RequireP256(ECDsa ecdsa)
    {
        var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve;
        if (curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256"))
        {
            throw new ArgumentException("Only P-256 ECDSA keys are supported.", nameof(ecdsa));
        }
    }
}
