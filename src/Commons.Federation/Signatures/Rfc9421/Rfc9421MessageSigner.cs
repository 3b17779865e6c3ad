using System.Text;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>Result of signing: the signature base and the header values to send.</summary>
public sealed record Rfc9421SignatureResult(LabelledSignature Signature, string SignatureBase)
{
    // The base's last line is the @signature-params value, which is this signature's Signature-Input member after its label:
    // taken from there rather than built and serialized a second time.
    public string SignatureInputHeaderValue =>
        Signature.Input.Label + "=" + SignatureBase[(SignatureBase.LastIndexOf('\n') + 1 + SignatureBaseBuilder.SignatureParamsLinePrefix.Length)..];

    public string SignatureHeaderValue => Rfc9421SignatureHeaders.SerializeSignature([Signature]);
}

/// <summary>Signs a message per RFC 9421 §3.1.</summary>
public static class Rfc9421MessageSigner
{
    /// <param name="algorithm">Algorithm to use; defaults to the key's. It is not added to the parameters: set <c>alg</c> explicitly if wanted.</param>
    public static Rfc9421SignatureResult Sign(SignableHttpMessage message, SignatureInput input, SigningKey key, HttpSignatureAlgorithm? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var chosen = algorithm ?? ResolveAlgorithm(input.Parameters.Algorithm) ?? key.DefaultAlgorithm;
        var signatureBase = SignatureBaseBuilder.Build(message, input);
        var signature = key.Sign(chosen, Encoding.ASCII.GetBytes(signatureBase));
        return new Rfc9421SignatureResult(new LabelledSignature(input, signature), signatureBase);
    }

    /// <summary>Signs and adds Signature-Input and Signature to the message's headers.</summary>
    public static Rfc9421SignatureResult SignAndAttach(SignableHttpMessage message, SignatureInput input, SigningKey key, HttpSignatureAlgorithm? algorithm = null)
    {
        var result = Sign(message, input, key, algorithm);
        message.Headers.Add(Rfc9421HeaderNames.SignatureInput, result.SignatureInputHeaderValue);
        message.Headers.Add(Rfc9421HeaderNames.Signature, result.SignatureHeaderValue);
        return result;
    }

    private static HttpSignatureAlgorithm? ResolveAlgorithm(string? name) =>
        name is null ? null
        : HttpSignatureAlgorithmNames.TryParse(name, out var parsed) ? parsed
        : throw new NotSupportedException($"Unsupported signature algorithm '{name}'.");
}
