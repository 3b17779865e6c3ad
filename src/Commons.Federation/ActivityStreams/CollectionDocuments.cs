using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>OrderedCollection (outbox, followers, following, backfill feed) and its OrderedCollectionPage.</summary>
public static class CollectionDocuments
{
    /// <summary>A collection with its total and, when given, the URL of its first (and last) page.
    /// Leave <paramref name="first"/> null to publish the count only (a follower list nobody may see).</summary>
    public static JsonObject OrderedCollection(string id, long totalItems, string? first, string? last = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentOutOfRangeException.ThrowIfNegative(totalItems);
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = id;
        doc["type"] = "OrderedCollection";
        doc["totalItems"] = totalItems;
        if (first is not null) doc["first"] = first;
        if (last is not null) doc["last"] = last;
        return doc;
    }

    /// <summary>A page: <paramref name="items"/> (ids as strings, or objects; copied, their <c>@context</c> dropped) in order,
    /// with <c>partOf</c>, and <c>next</c>/<c>prev</c> when there are such pages.</summary>
    public static JsonObject OrderedCollectionPage(string id, string partOf, IEnumerable<JsonNode?> items, string? next, string? prev = null, long? totalItems = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(partOf);
        ArgumentNullException.ThrowIfNull(items);
        var array = new JsonArray();
        foreach (var item in items)
        {
            var node = item?.DeepClone();
            if (node is JsonObject obj) obj.Remove("@context");
            array.Add(node);
        }
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = id;
        doc["type"] = "OrderedCollectionPage";
        doc["partOf"] = partOf;
        if (totalItems is { } total) doc["totalItems"] = total;
        doc["orderedItems"] = array;
        if (next is not null) doc["next"] = next;
        if (prev is not null) doc["prev"] = prev;
        return doc;
    }

    /// <summary>A page of ids (followers, following).</summary>
    public static JsonObject OrderedCollectionPage(string id, string partOf, IEnumerable<string> ids, string? next, string? prev = null, long? totalItems = null) =>
        OrderedCollectionPage(id, partOf, ids.Select(i => (JsonNode?)JsonValue.Create(i)), next, prev, totalItems);
}
