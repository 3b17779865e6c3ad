namespace Commons.Federation.Signatures.Keys;

/// <summary>Signature algorithms from the RFC 9421 registry (§6.2.2) that this library implements.</summary>
public enum HttpSignatureAlgorithm
{
    RsaPkcs1Sha256,
    RsaPssSha512,
    EcdsaP256Sha256,
    Ed25519,
    HmacSha256,
}

/// <summary>Registry names of <see cref="HttpSignatureAlgorithm"/> values.</summary>
public static class HttpSignatureAlgorithmNames
{
    public const string RsaPkcs1Sha256 = "rsa-v1_5-sha256";
    public const string RsaPssSha512 = "rsa-pss-sha512";
    public const string EcdsaP256Sha256 = "ecdsa-p256-sha256";
    public const string Ed25519 = "ed25519";
    public const string HmacSha256 = "hmac-sha256";

    public static string ToName(this HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.RsaPkcs1Sha256 => RsaPkcs1Sha256,
        HttpSignatureAlgorithm.RsaPssSha512 => RsaPssSha512,
        HttpSignatureAlgorithm.EcdsaP256Sha256 => EcdsaP256Sha256,
        HttpSignatureAlgorithm.Ed25519 => Ed25519,
        HttpSignatureAlgorithm.HmacSha256 => HmacSha256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static bool TryParse(string name, out HttpSignatureAlgorithm algorithm)
    {
        switch (name)
        {
            case RsaPkcs1Sha256: algorithm = HttpSignatureAlgorithm.RsaPkcs1Sha256; return true;
            case RsaPssSha512: algorithm = HttpSignatureAlgorithm.RsaPssSha512; return true;
            case EcdsaP256Sha256: algorithm = HttpSignatureAlgorithm.EcdsaP256Sha256; return true;
            case Ed25519: algorithm = HttpSignatureAlgorithm.Ed25519; return true;
            case HmacSha256: algorithm = HttpSignatureAlgorithm.HmacSha256; return true;
            default: algorithm = default; return false;
        }
    }
}
