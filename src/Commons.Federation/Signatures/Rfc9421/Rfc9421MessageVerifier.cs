using System.Text;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>
/// Cryptographic check of one RFC 9421 signature (§3.2 steps 7–9). Policy (time, required components,
/// digests) lives in <see cref="HttpSignatureVerifier"/>.
/// </summary>
public static class Rfc9421MessageVerifier
{
    /// <summary>
    /// The algorithm to verify with: the <c>alg</c> parameter when present (it must suit the key),
    /// otherwise <paramref name="explicitAlgorithm"/> or the key's default. Null when unsupported.
    /// </summary>
    public static HttpSignatureAlgorithm? SelectAlgorithm(SignatureInput input, VerificationKey key, HttpSignatureAlgorithm? explicitAlgorithm = null)
    {
        var alg = input.Parameters.Algorithm;
        HttpSignatureAlgorithm chosen;
        if (alg is not null)
        {
            if (!HttpSignatureAlgorithmNames.TryParse(alg, out chosen) || (explicitAlgorithm is not null && explicitAlgorithm != chosen))
            {
                return null;
            }
        }
        else
        {
            chosen = explicitAlgorithm ?? key.DefaultAlgorithm;
        }
        return key.Supports(chosen) ? chosen : null;
    }

    /// <summary>
    /// Rebuilds the signature base and checks the signature. Returns false for a bad signature;
    /// throws <see cref="SignatureComponentException"/> if a covered component is missing and
    /// <see cref="NotSupportedException"/> if the algorithm does not suit the key.
    /// </summary>
    public static bool Verify(SignableHttpMessage message, LabelledSignature signature, VerificationKey key, HttpSignatureAlgorithm? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(key);
        var chosen = SelectAlgorithm(signature.Input, key, algorithm)
            ?? throw new NotSupportedException($"Algorithm '{signature.Input.Parameters.Algorithm ?? algorithm?.ToName()}' cannot be used with a {key.KeyType} key.");
        var signatureBase = SignatureBaseBuilder.Build(message, signature.Input);
        return key.Verify(chosen, Encoding.ASCII.GetBytes(signatureBase), signature.Signature.Span);
    }
}
