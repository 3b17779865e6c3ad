using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Modules;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Modules' documents, all in the shared <see cref="StoreLayout.ModuleData"/> collection keyed
/// <c>{module}/{collection}/{key}</c>, so one collection of one module is one range of the primary key in key order
/// (the store's collation is ordinal). A fixed collection whatever the number of modules, for the reason
/// <see cref="StoreLayout"/> gives.
/// </summary>
public sealed partial class LiteModuleStore(CommonsDatabase database) : IModuleStore
{
    public T Write<T>(string module, Func<IModuleData, T> work) => database.Write(() => work(new LiteModuleData(database.Engine, module)));

    public T Read<T>(string module, Func<IModuleData, T> read) => database.Read(() => read(new LiteModuleData(database.Engine, module)));

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    internal static partial Regex ModuleName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    internal static partial Regex CollectionName();
}

/// <summary>
/// One module's view of the store inside a transaction the caller holds (<see cref="CommonsDatabase.Write{T}"/> or
/// <see cref="CommonsDatabase.Read{T}"/>): LiteDB's transactions are per thread, so every call joins it.
/// </summary>
internal sealed class LiteModuleData : IModuleData
{
    public const int MaxKeyLength = 512;

    private readonly LiteDatabase _db;
    private readonly string _module;

    public LiteModuleData(LiteDatabase db, string module)
    {
        if (!LiteModuleStore.ModuleName().IsMatch(module)) throw new ArgumentException($"'{module}' is not a module name", nameof(module));
        _db = db;
        _module = module;
    }

    private ILiteCollection<BsonDocument> Col => _db.GetCollection(StoreLayout.ModuleData);

    public JsonElement? Get(string collection, string key) =>
        Col.FindById(DocumentId(collection, key)) is { } d ? JsonBson.ToJson(d["v"]) : null;

    public void Put(string collection, string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new ArgumentException("a module document is a JSON object", nameof(value));
        Col.Upsert(new BsonDocument { ["_id"] = DocumentId(collection, key), ["v"] = JsonBson.ToBson(value) });
    }

    public bool Delete(string collection, string key) => Col.Delete(DocumentId(collection, key));

    public IReadOnlyList<ModuleDocument> Range(string collection, string? fromKey, string? toKey, int limit)
    {
        if (limit <= 0) return [];
        var prefix = Prefix(collection);
        var low = fromKey is null ? prefix : DocumentId(collection, fromKey);
        // '0' follows '/': "{module}/{collection}0" is above every key of the collection and of no other.
        var high = toKey is null ? prefix[..^1] + "0" : DocumentId(collection, toKey);
        if (string.CompareOrdinal(low, high) >= 0) return [];
        // One index range: And(GTE, LT) walks the index from low to the end of the module's documents and filters,
        // so a short range early in a large module read every key after it. Between is inclusive: high is dropped.
        return Col.Find(StoreQueries.Between("_id", low, high), limit: limit == int.MaxValue ? limit : limit + 1).Where(d => d["_id"].AsString != high).Take(limit)
            .Select(d => new ModuleDocument(d["_id"].AsString[prefix.Length..], JsonBson.ToJson(d["v"])))
            .ToList();
    }

    private string Prefix(string collection)
    {
        if (!LiteModuleStore.CollectionName().IsMatch(collection)) throw new ArgumentException($"'{collection}' is not a collection name", nameof(collection));
        return $"{_module}/{collection}/";
    }

    private string DocumentId(string collection, string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength) throw new ArgumentException($"a module key is 1 to {MaxKeyLength} characters", nameof(key));
        return Prefix(collection) + key;
    }
}
