using System.Globalization;

namespace Commons.Federation.Signatures.StructuredFields;

public enum StructuredItemKind
{
    Integer,
    Decimal,
    String,
    Token,
    ByteSequence,
    Boolean,
}

/// <summary>An RFC 8941 bare item: integer, decimal, string, token, byte sequence or boolean.</summary>
public sealed class StructuredBareItem : IEquatable<StructuredBareItem>
{
    private readonly object _value;

    private StructuredBareItem(StructuredItemKind kind, object value)
    {
        Kind = kind;
        _value = value;
    }

    public StructuredItemKind Kind { get; }

    public static StructuredBareItem Integer(long value)
    {
        if (value is > 999_999_999_999_999 or < -999_999_999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Structured field integers have at most 15 digits.");
        }
        return new(StructuredItemKind.Integer, value);
    }

    public static StructuredBareItem Decimal(decimal value) => new(StructuredItemKind.Decimal, value);

    public static StructuredBareItem String(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                throw new ArgumentException("Structured field strings are printable ASCII only.", nameof(value));
            }
        }
        return new(StructuredItemKind.String, value);
    }

    public static StructuredBareItem Token(string value)
    {
        if (!StructuredFieldSyntax.IsToken(value))
        {
            throw new ArgumentException($"'{value}' is not a structured field token.", nameof(value));
        }
        return new(StructuredItemKind.Token, value);
    }

    public static StructuredBareItem Bytes(ReadOnlySpan<byte> value) => new(StructuredItemKind.ByteSequence, value.ToArray());

    public static StructuredBareItem Boolean(bool value) => new(StructuredItemKind.Boolean, value);

    public long AsInteger() => Kind == StructuredItemKind.Integer ? (long)_value : throw WrongKind(StructuredItemKind.Integer);

    public decimal AsDecimal() => Kind == StructuredItemKind.Decimal ? (decimal)_value : throw WrongKind(StructuredItemKind.Decimal);

    public string AsString() => Kind == StructuredItemKind.String ? (string)_value : throw WrongKind(StructuredItemKind.String);

    public string AsToken() => Kind == StructuredItemKind.Token ? (string)_value : throw WrongKind(StructuredItemKind.Token);

    public ReadOnlyMemory<byte> AsBytes() => Kind == StructuredItemKind.ByteSequence ? (byte[])_value : throw WrongKind(StructuredItemKind.ByteSequence);

    public bool AsBoolean() => Kind == StructuredItemKind.Boolean ? (bool)_value : throw WrongKind(StructuredItemKind.Boolean);

    /// <summary>RFC 8941 §4.1 serialization of this bare item.</summary>
    public string Serialize() => Kind switch
    {
        StructuredItemKind.Integer => ((long)_value).ToString(CultureInfo.InvariantCulture),
        StructuredItemKind.Decimal => SerializeDecimal((decimal)_value),
        StructuredItemKind.String => "\"" + ((string)_value).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        StructuredItemKind.Token => (string)_value,
        StructuredItemKind.ByteSequence => ":" + Convert.ToBase64String((byte[])_value) + ":",
        StructuredItemKind.Boolean => (bool)_value ? "?1" : "?0",
        _ => throw new InvalidOperationException(),
    };

    public override string ToString() => Serialize();

    public bool Equals(StructuredBareItem? other) =>
        other is not null && other.Kind == Kind && other.Serialize() == Serialize();

    public override bool Equals(object? obj) => Equals(obj as StructuredBareItem);

    public override int GetHashCode() => HashCode.Combine(Kind, Serialize());

    private static string SerializeDecimal(decimal value)
    {
        var rounded = Math.Round(value, 3, MidpointRounding.ToEven);
        var text = rounded.ToString("0.0##", CultureInfo.InvariantCulture);
        return text;
    }

    private InvalidOperationException WrongKind(StructuredItemKind expected) =>
        new($"Structured field item is a {Kind}, not a {expected}.");
}
