namespace Commons.Federation.Signatures.StructuredFields;

/// <summary>One RFC 8941 parameter (<c>;name=value</c>); a true boolean serializes as <c>;name</c>.</summary>
public sealed record StructuredParameter(string Name, StructuredBareItem Value)
{
    public string Serialize() =>
        Value.Kind == StructuredItemKind.Boolean && Value.AsBoolean()
            ? ";" + Name
            : ";" + Name + "=" + Value.Serialize();

    public static string SerializeAll(IEnumerable<StructuredParameter> parameters) =>
        string.Concat(parameters.Select(p => p.Serialize()));
}
