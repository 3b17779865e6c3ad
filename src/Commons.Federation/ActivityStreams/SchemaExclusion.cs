using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// Removes a dataset's excluded fields from the schema its actor publishes, as <see cref="FieldExclusion"/> removes them
/// from records: a field's name can say more than its owners chose to share ("healthNotes"), and a follower must not
/// be told a record lacks a field it is required to have. A path's names are followed through <c>properties</c>; an
/// array's <c>items</c>/<c>prefixItems</c> and the combinators (<c>allOf</c>, <c>anyOf</c>, <c>oneOf</c>, <c>if</c>,
/// <c>then</c>, <c>else</c>, <c>not</c>) carry the same path on, so a field defined in any branch goes; the last name
/// is removed from <c>properties</c> and from <c>required</c>. Definitions reached only through <c>$ref</c> are
/// shared by design (a <c>$defs</c> entry names a shape, not a record's field) and left as they are.
/// </summary>
public static class SchemaExclusion
{
    private static readonly string[] Branches = ["allOf", "anyOf", "oneOf"];
    private static readonly string[] Single = ["if", "then", "else", "not", "items"];

    /// <summary>Removes the paths from <paramref name="schema"/> in place and returns it.</summary>
    public static JsonNode Apply(JsonNode schema, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (string.IsNullOrEmpty(path)) continue;
            var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            Remove(schema, trimmed.Split('.'), 0, depth: 0);
        }
        return schema;
    }

    private static void Remove(JsonNode? node, string[] segments, int index, int depth)
    {
        // Stored schemas are already bounded (SchemaAnalysis); this only stops a pathological one from recursing on.
        if (node is not JsonObject schema || depth > 128) return;
        var name = segments[index];
        if (schema["properties"] is JsonObject properties && properties.ContainsKey(name))
        {
            if (index == segments.Length - 1)
            {
                properties.Remove(name);
                if (schema["required"] is JsonArray required)
                    foreach (var entry in required.Where(r => r is JsonValue v && v.TryGetValue<string>(out var s) && s == name).ToList())
                        required.Remove(entry);
            }
            else
            {
                Remove(properties[name], segments, index + 1, depth + 1);
            }
        }
        foreach (var keyword in Single) Remove(schema[keyword], segments, index, depth + 1);
        foreach (var keyword in Branches.Append("prefixItems"))
            if (schema[keyword] is JsonArray branches)
                foreach (var branch in branches) Remove(branch, segments, index, depth + 1);
    }
}
