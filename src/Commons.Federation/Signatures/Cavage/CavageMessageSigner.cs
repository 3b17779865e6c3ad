using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Cavage;

/// <summary>Signs a message per draft-cavage-http-signatures-12.</summary>
public static class CavageMessageSigner
{
    public static CavageSignatureHeader Sign(
        SignableHttpMessage message,
        SigningKey key,
        string keyId,
        IReadOnlyList<string> headers,
        DateTimeOffset? created = null,
        DateTimeOffset? expires = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var algorithmName = CavageAlgorithms.NameFor(key);
        var algorithm = CavageAlgorithms.Resolve(algorithmName, key.VerificationKey)
            ?? throw new NotSupportedException($"A {key.KeyType} key cannot sign cavage signatures.");
        var lowered = headers.Select(h => h.ToLowerInvariant()).ToArray();
        var signingString = CavageSigningString.Build(message, lowered, created, expires);
        var signature = key.Sign(algorithm, CavageSigningString.ToBytes(signingString));
        return new CavageSignatureHeader
        {
            KeyId = keyId,
            Algorithm = algorithmName,
            Headers = lowered,
            Signature = signature,
            Created = created,
            Expires = expires,
        };
    }
}
