using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.Integrity;

/// <summary>
/// JSON Canonicalization Scheme (RFC 8785), hand-written over System.Text.Json: object members sorted by
/// UTF-16 code units, no whitespace, ECMAScript string escaping and number formatting. Duplicate member
/// names and lone surrogates (not I-JSON) are rejected.
/// </summary>
public static class JsonCanonicalizer
{
    public static string Canonicalize(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        return builder.ToString();
    }

    public static string Canonicalize(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }
        using var document = JsonDocument.Parse(node.ToJsonString());
        return Canonicalize(document.RootElement);
    }

    public static string Canonicalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Canonicalize(document.RootElement);
    }

    public static byte[] CanonicalizeToUtf8(JsonNode? node) => Encoding.UTF8.GetBytes(Canonicalize(node));

    private static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(builder, element);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }
                    first = false;
                    Write(builder, item);
                }
                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new FormatException($"Number {element.GetRawText()} is outside the IEEE 754 double range.");
                }
                builder.Append(EcmaScriptNumberFormatter.Format(number));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new FormatException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(StringBuilder builder, JsonElement element)
    {
        var properties = new List<(string Name, JsonElement Value)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                throw new FormatException($"Duplicate member name '{property.Name}'.");
            }
            properties.Add((property.Name, property.Value));
        }
        // string.CompareOrdinal compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
        properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        builder.Append('{');
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }
            WriteString(builder, properties[i].Name);
            builder.Append(':');
            Write(builder, properties[i].Value);
        }
        builder.Append('}');
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new FormatException("Strings with lone surrogates cannot be canonicalized.");
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
    }
}
