using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// Removes a dataset's excluded fields from a record body before it leaves the node.
/// A path is dotted field names (<c>contact.email</c>). The first name is looked up in the top-level object,
/// each next one in the object found so far. When the path meets an array, the rest of the path applies to
/// every object in it (and in arrays nested in it), so <c>contacts.email</c> removes the e-mail of every
/// contact; numbers, strings and other scalars in arrays are left untouched. A path that leads nowhere
/// (missing field, a scalar in the way) removes nothing. Field names are compared exactly (case-sensitive).
/// </summary>
public static class FieldExclusion
{
    public static JsonElement Apply(JsonElement data, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (data.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) || paths.Count == 0) return data.ValueKind == JsonValueKind.Undefined ? data : data.Clone();
        var node = JsonNode.Parse(data.GetRawText());
        ApplyInPlace(node, paths);
        return ActivityStreamsContext.ToElement(node!);
    }

    /// <summary>Removes the paths from <paramref name="node"/> in place.</summary>
    public static void ApplyInPlace(JsonNode? node, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (string.IsNullOrEmpty(path)) continue;
            var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            Remove(node, trimmed.Split('.'), 0);
        }
    }

    private static void Remove(JsonNode? node, string[] segments, int index)
    {
        switch (node)
        {
            case JsonObject obj:
                var name = segments[index];
                if (index == segments.Length - 1)
                {
                    obj.Remove(name);
                }
                else if (obj.TryGetPropertyValue(name, out var child))
                {
                    Remove(child, segments, index + 1);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject or JsonArray) Remove(item, segments, index);
                }
                break;
        }
    }
}
