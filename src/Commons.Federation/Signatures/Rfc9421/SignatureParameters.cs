using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>
/// The signature parameters of RFC 9421 §2.3 (created, expires, keyid, alg, nonce, tag), kept in the
/// order they were set or parsed because that order is part of the signature base.
/// </summary>
public sealed class SignatureParameters
{
    public const string CreatedName = "created";
    public const string ExpiresName = "expires";
    public const string KeyIdName = "keyid";
    public const string AlgorithmName = "alg";
    public const string NonceName = "nonce";
    public const string TagName = "tag";

    private readonly List<StructuredParameter> _items;

    public SignatureParameters()
        : this([])
    {
    }

    private SignatureParameters(List<StructuredParameter> items) => _items = items;

    public IReadOnlyList<StructuredParameter> Items => _items;

    public DateTimeOffset? Created => GetTime(CreatedName);

    public DateTimeOffset? Expires => GetTime(ExpiresName);

    public string? KeyId => GetString(KeyIdName);

    public string? Algorithm => GetString(AlgorithmName);

    public string? Nonce => GetString(NonceName);

    public string? Tag => GetString(TagName);

    public SignatureParameters WithCreated(DateTimeOffset created) => With(CreatedName, StructuredBareItem.Integer(created.ToUnixTimeSeconds()));

    public SignatureParameters WithExpires(DateTimeOffset expires) => With(ExpiresName, StructuredBareItem.Integer(expires.ToUnixTimeSeconds()));

    public SignatureParameters WithKeyId(string keyId) => With(KeyIdName, StructuredBareItem.String(keyId));

    public SignatureParameters WithAlgorithm(string algorithm) => With(AlgorithmName, StructuredBareItem.String(algorithm));

    public SignatureParameters WithNonce(string nonce) => With(NonceName, StructuredBareItem.String(nonce));

    public SignatureParameters WithTag(string tag) => With(TagName, StructuredBareItem.String(tag));

    /// <summary>A copy with <paramref name="name"/> set: replaced in place if present, appended otherwise.</summary>
    public SignatureParameters With(string name, StructuredBareItem value)
    {
        var copy = new List<StructuredParameter>(_items);
        var index = copy.FindIndex(p => p.Name == name);
        if (index >= 0)
        {
            copy[index] = new StructuredParameter(name, value);
        }
        else
        {
            copy.Add(new StructuredParameter(name, value));
        }
        return new SignatureParameters(copy);
    }

    /// <summary>Validates the types of known parameters; unknown parameters are kept as they are.</summary>
    public static SignatureParameters FromStructured(IReadOnlyList<StructuredParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            var expected = parameter.Name switch
            {
                CreatedName or ExpiresName => StructuredItemKind.Integer,
                KeyIdName or AlgorithmName or NonceName or TagName => StructuredItemKind.String,
                _ => parameter.Value.Kind,
            };
            if (parameter.Value.Kind != expected)
            {
                throw new StructuredFieldFormatException($"Signature parameter '{parameter.Name}' must be a {expected}.");
            }
        }
        return new SignatureParameters([.. parameters]);
    }

    public string Serialize() => StructuredParameter.SerializeAll(_items);

    private DateTimeOffset? GetTime(string name)
    {
        var parameter = _items.FirstOrDefault(p => p.Name == name);
        return parameter is null ? null : DateTimeOffset.FromUnixTimeSeconds(parameter.Value.AsInteger());
    }

    private string? GetString(string name) => _items.FirstOrDefault(p => p.Name == name)?.Value.AsString();
}
