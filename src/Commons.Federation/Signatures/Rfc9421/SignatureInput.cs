using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>
/// One labelled signature's metadata: the ordered covered components and the signature parameters
/// (a member of the <c>Signature-Input</c> dictionary, RFC 9421 §4.1).
/// </summary>
public sealed record SignatureInput(string Label, IReadOnlyList<ComponentIdentifier> Components, SignatureParameters Parameters)
{
    public bool Covers(string componentName) => Components.Any(c => c.Name == componentName);

    /// <summary>The inner list with parameters, the value of <c>@signature-params</c>.</summary>
    public string SerializeSignatureParams() => ToInnerList().Serialize();

    /// <summary>The dictionary member, e.g. <c>sig1=("@method");created=1</c>.</summary>
    public string SerializeMember() => StructuredDictionaryMember.ForInnerList(Label, ToInnerList()).Serialize();

    public StructuredInnerList ToInnerList() => new([.. Components.Select(c => c.ToStructuredItem())], Parameters.Items);

    public static SignatureInput FromMember(StructuredDictionaryMember member)
    {
        var list = member.InnerList ?? throw new StructuredFieldFormatException($"Signature-Input member '{member.Key}' is not an inner list.");
        var components = list.Items.Select(ComponentIdentifier.FromStructuredItem).ToList();
        if (components.Distinct().Count() != components.Count)
        {
            throw new StructuredFieldFormatException("A component is covered more than once.");
        }
        return new SignatureInput(member.Key, components, SignatureParameters.FromStructured(list.Parameters));
    }
}
