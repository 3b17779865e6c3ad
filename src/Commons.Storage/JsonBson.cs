using System.Buffers;
using System.Text.Json;
using Commons.Core.Errors;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Converts record bodies between System.Text.Json and BSON, so records can be queried inside LiteDB.
/// Integers stay integers (beyond 64 bits: decimals), other numbers become doubles. Two limits of BSON documents are refused with a clear
/// error rather than stored wrongly: keys that differ only by letter case (LiteDB keys are case-insensitive) and keys with NUL.
/// </summary>
public static class JsonBson
{
    public static BsonValue ToBson(JsonElement e, string path = "$") => e.ValueKind switch
    {
        JsonValueKind.Object => ToDocument(e, path),
        JsonValueKind.Array => new BsonArray(e.EnumerateArray().Select((v, i) => ToBson(v, $"{path}[{i}]"))),
        JsonValueKind.String => new BsonValue(e.GetString()),
        JsonValueKind.True => new BsonValue(true),
        JsonValueKind.False => new BsonValue(false),
        JsonValueKind.Null => BsonValue.Null,
        JsonValueKind.Number => Number(e, path),
        _ => throw ValidationException.For(path, "not a JSON value"),
    };

    private static BsonDocument ToDocument(JsonElement e, string path)
    {
        var doc = new BsonDocument();
        foreach (var p in e.EnumerateObject())
        {
            var childPath = $"{path}.{p.Name}";
            if (p.Name.Contains('\0')) throw ValidationException.For(childPath, "a field name cannot contain NUL");
            if (doc.ContainsKey(p.Name)) throw ValidationException.For(childPath, "two fields whose names differ only by letter case are not supported");
            doc[p.Name] = ToBson(p.Value, childPath);
        }
        return doc;
    }

    private static BsonValue Number(JsonElement e, string path)
    {
        if (e.TryGetInt32(out var i)) return new BsonValue(i);
        if (e.TryGetInt64(out var l)) return new BsonValue(l);
        // An integer beyond 64 bits keeps its digits as a decimal (up to 28 of them) rather than losing them in a double.
        if (e.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0 && e.TryGetDecimal(out var m)) return new BsonValue(m);
        if (e.TryGetDouble(out var d) && double.IsFinite(d)) return new BsonValue(d);
        throw ValidationException.For(path, "number out of range");
    }

    public static JsonElement ToJson(BsonValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, value);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
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
