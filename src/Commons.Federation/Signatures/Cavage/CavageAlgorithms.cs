using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Signatures.Cavage;

/// <summary>Maps cavage <c>algorithm</c> names to signature algorithms.</summary>
public static class CavageAlgorithms
{
    public const string RsaSha256 = "rsa-sha256";
    public const string Hs2019 = "hs2019";

    /// <summary>
    /// The algorithm to use with <paramref name="key"/>. "hs2019" and an absent name mean "derive from the key"
    /// (for RSA that is RSASSA-PKCS1-v1_5 SHA-256, as Mastodon does). Null when the name is unknown or
    /// does not suit the key.
    /// </summary>
    public static HttpSignatureAlgorithm? Resolve(string? name, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        HttpSignatureAlgorithm? algorithm = name?.ToLowerInvariant() switch
        {
            null or Hs2019 => key.KeyType == KeyType.Rsa ? HttpSignatureAlgorithm.RsaPkcs1Sha256 : key.DefaultAlgorithm,
            RsaSha256 => HttpSignatureAlgorithm.RsaPkcs1Sha256,
            "hmac-sha256" => HttpSignatureAlgorithm.HmacSha256,
            "ecdsa-sha256" => HttpSignatureAlgorithm.EcdsaP256Sha256,
            "ed25519" => HttpSignatureAlgorithm.Ed25519,
            _ => null,
        };
        return algorithm is { } a && key.Supports(a) ? a : null;
    }

    /// <summary>Whether the name is one this library can ever verify (independent of a key).</summary>
    public static bool IsKnown(string? name) =>
        name?.ToLowerInvariant() is null or Hs2019 or RsaSha256 or "hmac-sha256" or "ecdsa-sha256" or "ed25519";

    /// <summary>The name to send: "rsa-sha256" for RSA keys (widest compatibility), "hs2019" otherwise.</summary>
    public static string NameFor(SigningKey key) => key.KeyType == KeyType.Rsa ? RsaSha256 : Hs2019;
}
