using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Records;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// A record body's stored form (BSON and folded search text), built outside the write gate's single thread where it can
/// be: on all cores before the transaction, or on another core while it runs (<see cref="StoredDataAhead"/>).
/// </summary>
internal sealed class StoredData(JsonElement source, BsonValue bson, string text)
{
    public BsonValue Bson { get; } = bson;
    public string Text { get; } = text;

    /// <summary>The stored form of <paramref name="data"/>, or null where BSON cannot hold it (the transaction then converts, and refuses, it).</summary>
    public static StoredData? TryBuild(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } body) return null;
        // Whatever fails here fails again in the transaction's own conversion, which then throws it on the caller's thread.
        try
        {
            var (bson, text) = JsonBson.ToBsonWithText(body);
            return new StoredData(body, bson, text);
        }
        catch (Exception) { return null; }
    }

    /// <summary>
    /// Itself when <paramref name="record"/> writes the very element this was built from, else null (the record's own data is
    /// then converted). An identity test, not a comparison of contents: the two elements' UTF-8 is the same memory, which
    /// only the same element of the same live document gives (<see cref="JsonElement"/>'s default Equals tests the same
    /// by reflection, boxing both).
    /// </summary>
    public StoredData? For(Record record) => !record.Deleted && record.Data.ValueKind != JsonValueKind.Undefined && SameMemory(record.Data, source) ? this : null;

    private static bool SameMemory(JsonElement a, JsonElement b)
    {
        var x = JsonMarshal.GetRawUtf8Value(a);
        var y = JsonMarshal.GetRawUtf8Value(b);
        return x.Length == y.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y));
    }
}

