using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>
/// A covered component (RFC 9421 §2): a lowercased header field name or a derived component
/// such as <c>@method</c>, with its parameters (e.g. <c>name</c> for <c>@query-param</c>).
/// </summary>
public sealed record ComponentIdentifier
{
    public ComponentIdentifier(string name, IReadOnlyList<StructuredParameter>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name.StartsWith('@') ? name : name.ToLowerInvariant();
        Parameters = parameters ?? [];
    }

    public string Name { get; }

    public IReadOnlyList<StructuredParameter> Parameters { get; }

    public bool IsDerived => Name.StartsWith('@');

    public static ComponentIdentifier Method { get; } = new(DerivedComponentNames.Method);
    public static ComponentIdentifier TargetUri { get; } = new(DerivedComponentNames.TargetUri);
    public static ComponentIdentifier Authority { get; } = new(DerivedComponentNames.Authority);
    public static ComponentIdentifier Scheme { get; } = new(DerivedComponentNames.Scheme);
    public static ComponentIdentifier RequestTarget { get; } = new(DerivedComponentNames.RequestTarget);
    public static ComponentIdentifier Path { get; } = new(DerivedComponentNames.Path);
    public static ComponentIdentifier Query { get; } = new(DerivedComponentNames.Query);
    public static ComponentIdentifier Status { get; } = new(DerivedComponentNames.Status);

    public static ComponentIdentifier Header(string fieldName) => fieldName.StartsWith('@')
        ? throw new ArgumentException("Header field names cannot start with '@'.", nameof(fieldName))
        : new(fieldName);

    public static ComponentIdentifier QueryParam(string name) =>
        new(DerivedComponentNames.QueryParam, [new StructuredParameter("name", StructuredBareItem.String(name))]);

    public string? GetStringParameter(string parameterName)
    {
        var parameter = Parameters.FirstOrDefault(p => p.Name == parameterName);
        return parameter?.Value.Kind == StructuredItemKind.String ? parameter.Value.AsString() : null;
    }

    public StructuredItem ToStructuredItem() => new(StructuredBareItem.String(Name), Parameters);

    public static ComponentIdentifier FromStructuredItem(StructuredItem item)
    {
        if (item.Value.Kind != StructuredItemKind.String)
        {
            throw new StructuredFieldFormatException("Covered components must be strings.");
        }
        var name = item.Value.AsString();
        if (name.Length == 0 || (!name.StartsWith('@') && name != name.ToLowerInvariant()))
        {
            throw new StructuredFieldFormatException($"Invalid component name '{name}'.");
        }
        return new ComponentIdentifier(name, item.Parameters);
    }

    // Name and Parameters never change after construction; every signature serializes each identifier two or three times.
    private string? _serialized;

    /// <summary>The identifier as it appears in a signature base line and in Signature-Input.</summary>
    public string Serialize() => _serialized ??= ToStructuredItem().Serialize();

    public bool Equals(ComponentIdentifier? other) => other is not null && Serialize() == other.Serialize();

    public override int GetHashCode() => Serialize().GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Serialize();
}

public static class DerivedComponentNames
{
    public const string Method = "@method";
    public const string TargetUri = "@target-uri";
    public const string Authority = "@authority";
    public const string Scheme = "@scheme";
    public const string RequestTarget = "@request-target";
    public const string Path = "@path";
    public const string Query = "@query";
    public const string QueryParam = "@query-param";
    public const string Status = "@status";
    public const string SignatureParams = "@signature-params";
}
