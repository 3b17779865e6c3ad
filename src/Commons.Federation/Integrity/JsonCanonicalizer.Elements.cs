using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Commons.Federation.Integrity;

/// <summary>
/// The <see cref="JsonElement"/> side of <see cref="JsonCanonicalizer"/>: what a replica canonicalises, two proofs for every
/// record it receives. Strings and member names are taken from the parsed UTF-8 where it already is their canonical form
/// (no escape in it: JSON text cannot hold a raw quote or control character, and valid UTF-8 holds no lone surrogate),
/// instead of being decoded to a string and encoded again.
/// </summary>
public static partial class JsonCanonicalizer
{
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

    /// <summary>SHA-256 of <see cref="CanonicalizeObjectToUtf8"/>'s canonical form into <paramref name="destination"/>, through a per-thread buffer.</summary>
    public static void HashObjectSha256(JsonElement obj, string? skip, Span<byte> destination, string? replace = null, JsonElement replacement = default)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new FormatException("Not a JSON object.");
        Hash(b => WriteObject(b, obj, skip, replace, replacement), destination);
    }

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
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (IsCanonicalAsIs(raw)) buffer.Write(raw);
                else WriteString(buffer, element.GetString()!);
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

    /// <summary>Parsed JSON string text (quotes included, or a member name) that is already its canonical form: no escape, valid UTF-8.</summary>
    private static bool IsCanonicalAsIs(ReadOnlySpan<byte> raw) => !raw.Contains((byte)'\\') && Utf8.IsValid(raw);

    private static void WriteObject(ArrayBufferWriter<byte> buffer, JsonElement element, string? skip, string? replace, JsonElement replacement)
    {
        var members = ArrayPool<JsonProperty>.Shared.Rent(element.GetPropertyCount());
        try
        {
            var count = 0;
            // Names in ASCII without escapes sort by their bytes as by UTF-16 code units, and are written as they are.
            var asciiNames = true;
            foreach (var property in element.EnumerateObject())
            {
                if (skip is not null && property.NameEquals(skip)) continue;
                members[count++] = property;
                if (asciiNames)
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    asciiNames = System.Text.Ascii.IsValid(name) && !name.Contains((byte)'\\');
                }
            }
            var sorted = members.AsSpan(0, count);
            if (asciiNames) sorted.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
            else sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            buffer.Write("{"u8);
            for (var i = 0; i < sorted.Length; i++)
            {
                var property = sorted[i];
                if (i > 0)
                {
                    if (asciiNames ? JsonMarshal.GetRawUtf8PropertyName(property).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(sorted[i - 1])) : property.Name == sorted[i - 1].Name)
                        throw new FormatException($"Duplicate member name '{property.Name}'.");
                    buffer.Write(","u8);
                }
                if (asciiNames)
                {
                    buffer.Write("\""u8);
                    buffer.Write(JsonMarshal.GetRawUtf8PropertyName(property));
                    buffer.Write("\":"u8);
                }
                else
                {
                    WriteString(buffer, property.Name);
                    buffer.Write(":"u8);
                }
                var value = replace is not null && property.NameEquals(replace) ? replacement : property.Value;
                if (property.NameEquals(ContextKey)) WriteContext(buffer, value);
                else Write(buffer, value);
            }
            buffer.Write("}"u8);
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }
    }

    /// <summary>A parsed context: its canonical form remembered by its exact text (<see cref="CanonicalContexts"/>).</summary>
    private static void WriteContext(ArrayBufferWriter<byte> buffer, JsonElement context)
    {
        if (!CanonicalContexts.IsStructured(context))
        {
            Write(buffer, context);
            return;
        }
        var raw = JsonMarshal.GetRawUtf8Value(context);
        if (CanonicalContexts.TryWrite(buffer, raw)) return;
        var start = buffer.WrittenCount;
        Write(buffer, context);
        CanonicalContexts.Remember(raw, buffer.WrittenSpan[start..]);
    }
}
