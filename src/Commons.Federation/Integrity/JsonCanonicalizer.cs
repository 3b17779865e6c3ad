using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.Integrity;

/// <summary>
/// JSON Canonicalization Scheme (RFC 8785), hand-written over System.Text.Json (no served NuGet package implements it):
/// object members sorted by UTF-16 code units, no whitespace, ECMAScript string escaping and number formatting.
/// Duplicate member names and lone surrogates (not I-JSON) are rejected. UTF-8 is written straight from the
/// <see cref="JsonNode"/> or <see cref="JsonElement"/> tree: every eddsa-jcs-2022 proof, made or checked, runs this twice,
/// and a round trip through text (serialise, parse, build a string, encode it) cost more than the rest of a proof check.
/// </summary>
public static class JsonCanonicalizer
{
    public static string Canonicalize(JsonElement element) => Encoding.UTF8.GetString(CanonicalizeToUtf8(element));

    public static string Canonicalize(JsonNode? node) => Encoding.UTF8.GetString(CanonicalizeToUtf8(node));

    public static string Canonicalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Canonicalize(document.RootElement);
    }

    public static byte[] CanonicalizeToUtf8(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, node);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] CanonicalizeToUtf8(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, element);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The canonical form of an object's members without <paramref name="skip"/>, with <paramref name="replace"/>'s value
    /// (when given) in place of its own member of that name — a secured document read as its unsecured one, without a copy.
    /// </summary>
    public static byte[] CanonicalizeObjectToUtf8(JsonElement obj, string? skip, string? replace = null, JsonElement replacement = default)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new FormatException("Not a JSON object.");
        var buffer = new ArrayBufferWriter<byte>(1024);
        WriteObject(buffer, obj, skip, replace, replacement);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> buffer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                Ascii(buffer, "null");
                break;
            case JsonObject obj:
                var members = new List<(string Name, JsonNode? Value)>(obj.Count);
                foreach (var member in obj) members.Add((member.Key, member.Value));
                WriteMembers(buffer, members, static (b, _, v) => Write(b, v));
                break;
            case JsonArray array:
                buffer.Write("["u8);
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) buffer.Write(","u8);
                    Write(buffer, array[i]);
                }
                buffer.Write("]"u8);
                break;
            case JsonValue value:
                WriteValue(buffer, value);
                break;
        }
    }

    private static void WriteValue(ArrayBufferWriter<byte> buffer, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            Write(buffer, element);
            return;
        }
        switch (value.GetValueKind())
        {
            case JsonValueKind.String when value.TryGetValue<string>(out var text):
                WriteString(buffer, text);
                break;
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                WriteLiteral(buffer, value.GetValueKind());
                break;
            default:
                // Numbers (long, int, decimal, double…) and any other CLR value: read back through its JSON text.
                using (var document = JsonDocument.Parse(value.ToJsonString()))
                    Write(buffer, document.RootElement);
                break;
        }
    }

    private static void WriteLiteral(ArrayBufferWriter<byte> buffer, JsonValueKind kind) =>
        buffer.Write(kind switch { JsonValueKind.True => "true"u8, JsonValueKind.False => "false"u8, _ => "null"u8 });

    private static void Write(ArrayBufferWriter<byte> buffer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(buffer, element, null, null, default);
                break;
            case JsonValueKind.Array:
                buffer.Write("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) buffer.Write(","u8);
                    first = false;
                    Write(buffer, item);
                }
                buffer.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(buffer, element.GetString()!);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new FormatException($"Number {element.GetRawText()} is outside the IEEE 754 double range.");
                }
                Ascii(buffer, EcmaScriptNumberFormatter.Format(number));
                break;
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                WriteLiteral(buffer, element.ValueKind);
                break;
            default:
                throw new FormatException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(ArrayBufferWriter<byte> buffer, JsonElement element, string? skip, string? replace, JsonElement replacement)
    {
        var members = new List<(string Name, JsonElement Value)>();
        foreach (var property in element.EnumerateObject())
        {
            if (skip is not null && property.NameEquals(skip)) continue;
            members.Add(replace is not null && property.NameEquals(replace) ? (replace, replacement) : (property.Name, property.Value));
        }
        WriteMembers(buffer, members, static (b, name, v) =>
        {
            if (name == ContextKey) WriteContext(b, v);
            else Write(b, v);
        });
    }

    /// <summary>An object's members in RFC 8785 order (UTF-16 code units, as string.CompareOrdinal), a repeated name refused.</summary>
    private static void WriteMembers<T>(ArrayBufferWriter<byte> buffer, List<(string Name, T Value)> members, Action<ArrayBufferWriter<byte>, string, T> writeValue)
    {
        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        buffer.Write("{"u8);
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (members[i].Name == members[i - 1].Name) throw new FormatException($"Duplicate member name '{members[i].Name}'.");
                buffer.Write(","u8);
            }
            WriteString(buffer, members[i].Name);
            buffer.Write(":"u8);
            writeValue(buffer, members[i].Name, members[i].Value);
        }
        buffer.Write("}"u8);
    }

    private const string ContextKey = "@context";
    private const int MaxRememberedContexts = 8;
    private static readonly Lock ContextsLock = new();
    private static (byte[] Raw, byte[] Canonical)[] _contexts = [];

    /// <summary>
    /// A JSON-LD @context: a node's documents repeat the same few (2 KB inline), and a signed activity carries its own and
    /// its proof's, so the canonical form of the last few seen is remembered by their exact text (at most
    /// <see cref="MaxRememberedContexts"/>; any other text is canonicalised as usual).
    /// </summary>
    private static void WriteContext(ArrayBufferWriter<byte> buffer, JsonElement context)
    {
        if (context.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
        {
            Write(buffer, context);
            return;
        }
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(context);
        var known = Volatile.Read(ref _contexts);
        foreach (var (knownRaw, canonical) in known)
        {
            if (raw.SequenceEqual(knownRaw))
            {
                buffer.Write(canonical);
                return;
            }
        }
        var start = buffer.WrittenCount;
        Write(buffer, context);
        if (known.Length >= MaxRememberedContexts) return;
        var entry = (raw.ToArray(), buffer.WrittenSpan[start..].ToArray());
        lock (ContextsLock)
        {
            if (_contexts.Length < MaxRememberedContexts) Volatile.Write(ref _contexts, [.. _contexts, entry]);
        }
    }

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        buffer.Advance(text.Length);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        // At most 6 bytes a UTF-16 unit (\u001f), plus the quotes.
        var span = buffer.GetSpan(value.Length * 6 + 2);
        var at = 0;
        span[at++] = (byte)'"';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': span[at++] = (byte)'\\'; span[at++] = (byte)'"'; break;
                case '\\': span[at++] = (byte)'\\'; span[at++] = (byte)'\\'; break;
                case '\b': span[at++] = (byte)'\\'; span[at++] = (byte)'b'; break;
                case '\f': span[at++] = (byte)'\\'; span[at++] = (byte)'f'; break;
                case '\n': span[at++] = (byte)'\\'; span[at++] = (byte)'n'; break;
                case '\r': span[at++] = (byte)'\\'; span[at++] = (byte)'r'; break;
                case '\t': span[at++] = (byte)'\\'; span[at++] = (byte)'t'; break;
                default:
                    if (c < 0x20)
                    {
                        span[at++] = (byte)'\\';
                        span[at++] = (byte)'u';
                        ((int)c).TryFormat(span[at..], out var written, "x4", CultureInfo.InvariantCulture);
                        at += written;
                    }
                    else if (c < 0x80)
                    {
                        span[at++] = (byte)c;
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        at += Encoding.UTF8.GetBytes(value.AsSpan(i, 2), span[at..]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new FormatException("Strings with lone surrogates cannot be canonicalized.");
                    }
                    else
                    {
                        at += Encoding.UTF8.GetBytes(value.AsSpan(i, 1), span[at..]);
                    }
                    break;
            }
        }
        span[at++] = (byte)'"';
        buffer.Advance(at);
    }
}
