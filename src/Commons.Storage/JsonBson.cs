using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Text;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Converts record bodies between System.Text.Json and BSON, so records can be queried inside LiteDB.
/// Integers stay integers (beyond 64 bits: decimals), other numbers become doubles. Two limits of BSON documents are refused with a clear
/// error rather than stored wrongly: keys that differ only by letter case (LiteDB keys are case-insensitive) and keys with NUL.
/// </summary>
public static class JsonBson
{
    public static BsonValue ToBson(JsonElement e, string path = "$")
    {
        try { return Convert(e, null); }
        catch (Refused refused) { throw ValidationException.For(path + refused.Path, refused.Message); }
    }

    /// <summary>
    /// The body's BSON and its search text (<see cref="SearchText.FromJson"/>) in one walk: the strings made for BSON are
    /// the text's strings, in the same (document) order.
    /// </summary>
    public static (BsonValue Bson, string Text) ToBsonWithText(JsonElement e)
    {
        using var text = new TextCollector();
        try { return (Convert(e, text), text.Fold()); }
        catch (Refused refused) { throw ValidationException.For("$" + refused.Path, refused.Message); }
    }

    // Paths are built only for a refused value, while the refusal unwinds: a body that converts allocates none.
    private static BsonValue Convert(JsonElement e, TextCollector? text) => e.ValueKind switch
    {
        JsonValueKind.Object => ToDocument(e, text),
        JsonValueKind.Array => ToArray(e, text),
        JsonValueKind.String => new BsonValue(text is null ? e.GetString() : text.Add(e.GetString()!)),
        JsonValueKind.True => new BsonValue(true),
        JsonValueKind.False => new BsonValue(false),
        JsonValueKind.Null => BsonValue.Null,
        JsonValueKind.Number => Number(e),
        _ => throw new Refused("not a JSON value"),
    };

    /// <summary>
    /// An empty document whose own dictionary has room for <paramref name="fields"/> fields. LiteDB's constructor taking a
    /// dictionary copies it into a new, default-sized one, which then grows while it is filled: a document is sized only
    /// through the dictionary it keeps (<see cref="BsonValue.RawValue"/>).
    /// </summary>
    public static BsonDocument SizedDocument(int fields)
    {
        var document = new BsonDocument();
        ((Dictionary<string, BsonValue>)document.RawValue).EnsureCapacity(fields);
        return document;
    }

    private static BsonDocument ToDocument(JsonElement e, TextCollector? text)
    {
        var fields = SizedDocument(e.GetPropertyCount());
        foreach (var p in e.EnumerateObject())
        {
            var name = FieldNames.Of(p);
            if (name.Contains('\0')) throw new Refused("a field name cannot contain NUL", "." + name);
            if (fields.ContainsKey(name)) throw new Refused("two fields whose names differ only by letter case are not supported", "." + name);
            try { fields.Add(name, Convert(p.Value, text)); }
            catch (Refused refused) { refused.Path = "." + name + refused.Path; throw; }
        }
        return fields;
    }

    private static BsonArray ToArray(JsonElement e, TextCollector? text)
    {
        var array = new BsonArray(); // not BsonArray(int): an int converts to a BsonValue and lands in the array
        var i = 0;
        foreach (var v in e.EnumerateArray())
        {
            try { array.Add(Convert(v, text)); }
            catch (Refused refused) { refused.Path = $"[{i}]{refused.Path}"; throw; }
            i++;
        }
        return array;
    }

    private static BsonValue Number(JsonElement e)
    {
        if (e.TryGetInt32(out var i)) return new BsonValue(i);
        if (e.TryGetInt64(out var l)) return new BsonValue(l);
        // An integer beyond 64 bits keeps its digits as a decimal (up to 28 of them) rather than losing them in a double.
        if (JsonMarshal.GetRawUtf8Value(e).IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && e.TryGetDecimal(out var m)) return new BsonValue(m);
        if (e.TryGetDouble(out var d) && double.IsFinite(d)) return new BsonValue(d);
        throw new Refused("number out of range");
    }

    /// <summary>String values joined by newlines in a pooled buffer, folded once at the end.</summary>
    private sealed class TextCollector : IDisposable
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(1024);
        private int _length;

        public string Add(string value)
        {
            if (_length + value.Length + 1 > _chars.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + value.Length + 1));
                _chars.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_chars);
                _chars = larger;
            }
            value.CopyTo(_chars.AsSpan(_length));
            _length += value.Length;
            _chars[_length++] = '\n';
            return value;
        }

        public string Fold() => SearchText.Fold(_chars.AsSpan(0, _length));

        public void Dispose() => ArrayPool<char>.Shared.Return(_chars);
    }

    /// <summary>A value BSON cannot hold; <see cref="Path"/> grows from the value up to the root as it unwinds.</summary>
    private sealed class Refused(string message, string path = "") : Exception(message)
    {
        public string Path { get; set; } = path;
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_elementBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_elementWriter;

    /// <summary>Largest buffer a thread keeps between calls of <see cref="ToJson"/>; a larger value's buffer is let go.</summary>
    private const int KeptElementBuffer = 64 * 1024;

    /// <summary>
    /// A stored value as JSON: written through a buffer and writer kept per thread (a backfill page reads a thousand
    /// records), then parsed once into an element that holds only its own bytes — instead of a buffer grown from 256
    /// bytes, a writer, a pooled document and its clone for every value.
    /// </summary>
    public static JsonElement ToJson(BsonValue value)
    {
        var buffer = t_elementBuffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_elementWriter ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, value);
        writer.Flush();
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        var element = JsonElement.ParseValue(ref reader);
        if (buffer.Capacity > KeptElementBuffer) (t_elementBuffer, t_elementWriter) = (null, null);
        return element;
    }

    public static void Write(Utf8JsonWriter w, BsonValue v)
    {
        switch (v.Type)
        {
            case BsonType.Document:
                w.WriteStartObject();
                foreach (var (k, child) in v.AsDocument) { w.WritePropertyName(k); Write(w, child); }
                w.WriteEndObject();
                break;
            case BsonType.Array:
                w.WriteStartArray();
                foreach (var child in v.AsArray) Write(w, child);
                w.WriteEndArray();
                break;
            case BsonType.String: w.WriteStringValue(v.AsString); break;
            case BsonType.Boolean: w.WriteBooleanValue(v.AsBoolean); break;
            case BsonType.Int32: w.WriteNumberValue(v.AsInt32); break;
            case BsonType.Int64: w.WriteNumberValue(v.AsInt64); break;
            case BsonType.Double: w.WriteNumberValue(v.AsDouble); break;
            case BsonType.Decimal: w.WriteNumberValue(v.AsDecimal); break;
            case BsonType.Null: w.WriteNullValue(); break;
            default: w.WriteStringValue(v.ToString()); break;
        }
    }
}
