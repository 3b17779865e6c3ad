using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// LiteDB indexes that serve a record listing sorted by a data field. All datasets share the records collection, so the
/// key of one index is the array <c>[$.ds, value, $._id]</c>: one dataset's records are one contiguous range of it, in the
/// listing's order (ties broken by the document id, as the cursor expects), and a page is a walk of that range which stops
/// after the page, instead of reading and ordering every record of the dataset. LiteDB keeps the index in the transaction
/// of every write (creates, updates, deletes, purges, kind upgrades), so it cannot drift from the records.
/// <para>
/// An index is created on the first listing sorted by a field that the dataset's schema declares with a scalar type
/// (string, number, integer, boolean), and only while fewer than <see cref="MaxIndexes"/> exist: every index costs every
/// record write one more index node, so neither a field nobody sorts by nor a path a reader makes up gets one. Datasets
/// sharing a field name share its index (the dataset key leads the key). Without an index the same query is answered
/// from the dataset's primary-key range and ordered in memory, with the same order (<see cref="KeyExpression"/>).
/// </para>
/// </summary>
internal static class RecordSortIndexes
{
    /// <summary>At most this many sort indexes on the records collection (LiteDB keeps them all in one collection page).</summary>
    public const int MaxIndexes = 16;

    /// <summary>
    /// Strings are ordered by their first 150 characters (then by id): an index key is at most 1,023 bytes, and 150
    /// characters are at most 600 bytes of UTF-8, beside the dataset key and a document id of at most 73 characters.
    /// </summary>
    public const int KeyChars = 150;

    private const string NamePrefix = "sort_";

    /// <summary>Index names known to exist, per open database (created by this class, or found).</summary>
    private static readonly ConditionalWeakTable<LiteDatabase, ConcurrentDictionary<string, bool>> Known = new();

    /// <summary>
    /// The value a record is ordered by: the field, a string cut to <see cref="KeyChars"/>, an object or array as null
    /// (a schema change can leave one in a field declared scalar). Used by the index, the order and the cursor alike.
    /// </summary>
    public static string ValueExpression(string path)
    {
        var p = RecordQueryRunner.DataPath(path);
        return $"IIF(IS_STRING({p}), IIF(LENGTH({p}) > {KeyChars}, SUBSTRING({p}, 0, {KeyChars}), {p}), IIF(IS_DOCUMENT({p}) OR IS_ARRAY({p}), null, {p}))";
    }

    /// <summary>The index's key, and the order of a listing sorted by the field.</summary>
    public static string KeyExpression(string path) => $"[$.ds, {ValueExpression(path)}, $._id]";

    public static string IndexName(string path) =>
        NamePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];

    /// <summary>
    /// Makes sure the index for sorting <paramref name="datasetKey"/>'s records by <paramref name="path"/> exists, if the
    /// rules above allow one. Runs under the store's gate (inside <see cref="CommonsDatabase.Read{T}"/>).
    /// </summary>
    public static void EnsureFor(LiteDatabase db, int datasetKey, string path)
    {
        var known = Known.GetOrCreateValue(db);
        var name = IndexName(path);
        if (known.ContainsKey(name)) return;
        var existing = db.GetCollection("$indexes").Find(StoreQueries.EQ("collection", StoreLayout.Records))
            .Select(d => d["name"].AsString).Where(n => n.StartsWith(NamePrefix, StringComparison.Ordinal)).ToList();
        foreach (var n in existing) known.TryAdd(n, true);
        if (known.ContainsKey(name) || existing.Count >= MaxIndexes) return;
        if (!IsSortableField(SchemaOf(db, datasetKey), path)) return;
        db.GetCollection(StoreLayout.Records).EnsureIndex(name, BsonExpression.Create(KeyExpression(path)));
        known.TryAdd(name, true);
    }

    private static string? SchemaOf(LiteDatabase db, int datasetKey) =>
        db.GetCollection(LiteDatasetStore.Collection).FindOne(StoreQueries.EQ("key", datasetKey))?["schema"] is { IsString: true } s ? s.AsString : null;

    /// <summary>True if the schema declares <paramref name="path"/> (through <c>properties</c>) with only scalar types.</summary>
    internal static bool IsSortableField(string? schema, string path)
    {
        if (schema is null) return false;
        JsonNode? node;
        try { node = JsonNode.Parse(schema); }
        catch (System.Text.Json.JsonException) { return false; }
        foreach (var seg in path.Split('.'))
            node = node is JsonObject o && o["properties"] is JsonObject props ? props[seg] : null;
        var types = node?["type"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var t) => [t],
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var t) ? t : "?").ToList(),
            _ => new List<string>(),
        };
        return types.Count > 0 && types.All(t => t is "string" or "number" or "integer" or "boolean" or "null") && types.Any(t => t != "null");
    }
}
