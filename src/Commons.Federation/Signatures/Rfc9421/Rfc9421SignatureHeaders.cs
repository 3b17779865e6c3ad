using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>A labelled signature from the Signature and Signature-Input headers.</summary>
public sealed record LabelledSignature(SignatureInput Input, ReadOnlyMemory<byte> Signature);

/// <summary>Parses and serializes the <c>Signature-Input</c> and <c>Signature</c> dictionaries (RFC 9421 §4).</summary>
public static class Rfc9421SignatureHeaders
{
    /// <summary>
    /// Pairs every Signature-Input member with the Signature member of the same label, in Signature-Input order.
    /// Throws <see cref="StructuredFieldFormatException"/> when either header is malformed or a label has no signature.
    /// </summary>
    public static IReadOnlyList<LabelledSignature> Parse(string signatureInputValue, string signatureValue)
    {
        ArgumentNullException.ThrowIfNull(signatureInputValue);
        ArgumentNullException.ThrowIfNull(signatureValue);
        var inputs = StructuredFieldParser.ParseDictionary(signatureInputValue);
        var signatures = StructuredFieldParser.ParseDictionary(signatureValue);
        if (inputs.Count == 0)
        {
            throw new StructuredFieldFormatException("Signature-Input is empty.");
        }
        var result = new List<LabelledSignature>();
        foreach (var member in inputs)
        {
            var signature = signatures.FirstOrDefault(s => s.Key == member.Key)
                ?? throw new StructuredFieldFormatException($"No Signature for label '{member.Key}'.");
            if (signature.Item is not { Value.Kind: StructuredItemKind.ByteSequence } item)
            {
                throw new StructuredFieldFormatException($"Signature '{member.Key}' is not a byte sequence.");
            }
            result.Add(new LabelledSignature(SignatureInput.FromMember(member), item.Value.AsBytes()));
        }
        return result;
    }

    public static string SerializeSignatureInput(IEnumerable<SignatureInput> inputs) =>
        string.Join(", ", inputs.Select(i => i.SerializeMember()));

    /// <summary>Each member is <c>label=:base64:</c> (a byte sequence without parameters), written directly: one per signed request.</summary>
    public static string SerializeSignature(IEnumerable<LabelledSignature> signatures) =>
        string.Join(", ", signatures.Select(s => s.Input.Label + "=:" + Convert.ToBase64String(s.Signature.Span) + ":"));
}
