using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
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
/// This file holds the <see cref="JsonNode"/> side and what both sides share; the element side is in JsonCanonicalizer.Elements.cs.
/// </summary>
public static partial class JsonCanonicalizer
{
    private const string ContextKey = "@context";

    /// <summary>A canonical form larger than this is not kept in the thread's hashing buffer once hashed.</summary>
    private const int KeptBufferBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_hashBuffer;

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

    /// <summary>SHA-256 of the canonical form into <paramref name="destination"/> (32 bytes), through a per-thread buffer:
    /// a proof hashes two canonical forms of several KB, which as arrays of their own were most of a proof's garbage.</summary>
    public static void HashSha256(JsonNode? node, Span<byte> destination) => Hash(b => Write(b, node), destination);

    private static void Hash(Action<ArrayBufferWriter<byte>> write, Span<byte> destination)
    {
        var buffer = t_hashBuffer ?? new ArrayBufferWriter<byte>(16 * 1024);
        t_hashBuffer = null;
        buffer.ResetWrittenCount();
        write(buffer);
        SHA256.HashData(buffer.WrittenSpan, destination);
        if (buffer.Capacity <= KeptBufferBytes) t_hashBuffer = buffer;
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
                for (var i = 0; i < obj.Count; i++)
                {
                    var (name, value) = obj.GetAt(i);
                    members.Add((name, value));
                }
                WriteMembers(buffer, members, static (b, name, v) =>
                {
                    if (name == ContextKey && v is JsonArray or JsonObject) WriteContext(b, v);
                    else Write(b, v);
                });
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

    /// <summary>A context built as nodes: its canonical form remembered by the text it writes out (<see cref="CanonicalContexts"/>).</summary>
    private static void WriteContext(ArrayBufferWriter<byte> buffer, JsonNode context)
    {
        if (CanonicalContexts.TryWrite(buffer, CanonicalContexts.TextOf(context))) return;
        // Copied before canonicalising: a context nested in this one would write its own text over the per-thread buffer.
        var text = CanonicalContexts.TextOf(context).ToArray();
        var start = buffer.WrittenCount;
        Write(buffer, context);
        CanonicalContexts.Remember(text, buffer.WrittenSpan[start..]);
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
            // Integers are exact in a double up to 2^53 and rounded to the nearest above it, as parsing their text would.
            case JsonValueKind.Number when value.TryGetValue<long>(out var longValue):
                Ascii(buffer, EcmaScriptNumberFormatter.Format(longValue));
                break;
            case JsonValueKind.Number when value.TryGetValue<int>(out var intValue):
                Ascii(buffer, EcmaScriptNumberFormatter.Format(intValue));
                break;
            case JsonValueKind.Number when value.TryGetValue<double>(out var doubleValue) && double.IsFinite(doubleValue):
                Ascii(buffer, EcmaScriptNumberFormatter.Format(doubleValue));
                break;
            default:
                // Other numbers (decimal, float…) and any other CLR value: read back through its JSON text.
                using (var document = JsonDocument.Parse(value.ToJsonString()))
                    Write(buffer, document.RootElement);
                break;
        }
    }

    private static void WriteLiteral(ArrayBufferWriter<byte> buffer, JsonValueKind kind) =>
        buffer.Write(kind switch { JsonValueKind.True => "true"u8, JsonValueKind.False => "false"u8, _ => "null"u8 });

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
