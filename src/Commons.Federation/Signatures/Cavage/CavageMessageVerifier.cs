using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Cavage;

/// <summary>
/// Cryptographic check of a cavage signature. Policy (time, required headers, digests) lives in
/// <see cref="HttpSignatureVerifier"/>.
/// </summary>
public static class CavageMessageVerifier
{
    /// <summary>
    /// Returns false for a bad signature; throws <see cref="SignatureComponentException"/> when a covered
    /// header is absent and <see cref="NotSupportedException"/> when the algorithm does not suit the key.
    /// </summary>
    public static bool Verify(SignableHttpMessage message, CavageSignatureHeader signature, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(key);
        var algorithm = CavageAlgorithms.Resolve(signature.Algorithm, key)
            ?? throw new NotSupportedException($"Algorithm '{signature.Algorithm}' cannot be used with a {key.KeyType} key.");
        var signingString = CavageSigningString.Build(message, signature.Headers, signature.Created, signature.Expires);
        return key.Verify(algorithm, CavageSigningString.ToBytes(signingString), signature.Signature.Span);
    }
}
