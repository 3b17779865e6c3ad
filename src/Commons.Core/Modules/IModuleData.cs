using System.Text.Json;

namespace Commons.Core.Modules;

/// <summary>
/// A module's own documents: JSON objects in named collections, each keyed by a string, read in ordinal key order.
/// One instance is bound to one store transaction (a record write's, or one <see cref="IModuleStore"/> opens): what
/// it writes commits or rolls back with that transaction. Collections belong to one module; another module cannot
/// see them. Keys are at most 512 characters; a document at most the record size limit.
/// </summary>
public interface IModuleData
{
    JsonElement? Get(string collection, string key);

    /// <summary>Inserts or replaces the document at <paramref name="key"/>; <paramref name="value"/> must be a JSON object.</summary>
    void Put(string collection, string key, JsonElement value);

    /// <summary>False if there was nothing to delete.</summary>
    bool Delete(string collection, string key);

    /// <summary>
    /// Documents whose key is ≥ <paramref name="fromKey"/> and &lt; <paramref name="toKey"/> (null: no bound), in
    /// ordinal key order, at most <paramref name="limit"/>.
    /// </summary>
    IReadOnlyList<ModuleDocument> Range(string collection, string? fromKey, string? toKey, int limit);
}

public sealed record ModuleDocument(string Key, JsonElement Value);

/// <summary>A module's documents outside a record write: each call is one transaction, serialised with every other write.</summary>
public interface IModuleStore
{
    T Write<T>(string module, Func<IModuleData, T> work);
    T Read<T>(string module, Func<IModuleData, T> read);
}
