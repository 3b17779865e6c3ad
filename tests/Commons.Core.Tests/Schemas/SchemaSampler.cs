using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// A body that a schema most likely accepts, built by walking it (every declared property, the first enum value, a
/// sample of each format, bounds respected), for the differential tests to mutate. Not a validator: what it gets wrong
/// only makes more invalid bodies.
/// </summary>
internal static class SchemaSampler
{
    private static readonly Dictionary<string, string> FormatSamples = new()
    {
        ["date"] = "2025-03-14", ["date-time"] = "2025-03-14T09:30:00Z", ["time"] = "09:30:00Z", ["uri"] = "https://coop.example/x",
        ["email"] = "a@coop.example", ["idn-email"] = "a@coop.example", ["uuid"] = "550e8400-e29b-41d4-a716-446655440000",
    };

    /// <summary>Strings tried against a <c>pattern</c>, in order: what the kinds' patterns describe.</summary>
    private static readonly string[] PatternCandidates =
    [
        "https://coop.example/actor", "2025-03-14T09:30:00Z", "2025-03-14", "2025-03", "09:30", "12.50", "12", "BE", "fr",
        "abcdefgh12", "coop.example", new string('a', 64), "-12.5",
    ];

    public static string Sample(string schemaText)
    {
        using var doc = JsonDocument.Parse(schemaText);
        return (Walk(doc.RootElement, doc.RootElement, 0) ?? new JsonObject()).ToJsonString();
    }

    private static JsonNode? Walk(JsonElement schema, JsonElement root, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > 12) return null;
        if (schema.TryGetProperty("$ref", out var r) && r.GetString() is { } reference && reference.StartsWith("#/"))
        {
            var target = root;
            foreach (var seg in reference[2..].Split('/'))
                if (!target.TryGetProperty(seg.Replace("~1", "/").Replace("~0", "~"), out target)) return null;
            return Walk(target, root, depth + 1);
        }
        if (schema.TryGetProperty("const", out var c)) return JsonNode.Parse(c.GetRawText());
        if (schema.TryGetProperty("enum", out var e) && e.GetArrayLength() > 0) return JsonNode.Parse(e[0].GetRawText());
        foreach (var combination in new[] { "allOf", "anyOf", "oneOf" })
            if (schema.TryGetProperty(combination, out var branches) && !schema.TryGetProperty("type", out _) && branches.GetArrayLength() > 0)
                return Walk(branches[0], root, depth + 1);
        var type = schema.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.Array ? t[0].GetString() : t.GetString() : null;
        if (type is null && schema.TryGetProperty("properties", out _)) type = "object";
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                if (schema.TryGetProperty("properties", out var props))
                    foreach (var p in props.EnumerateObject())
                        obj[p.Name] = Walk(p.Value, root, depth + 1);
                return obj;
            case "array":
                var arr = new JsonArray();
                var count = schema.TryGetProperty("minItems", out var mi) ? Math.Max(1, mi.GetInt32()) : 1;
                if (schema.TryGetProperty("items", out var items))
                    for (var i = 0; i < count; i++)
                    {
                        var item = Walk(items, root, depth + 1);
                        if (item is JsonValue v && i > 0 && v.GetValueKind() == JsonValueKind.String && !items.TryGetProperty("pattern", out _))
                            item = JsonValue.Create(v.GetValue<string>() + i);
                        arr.Add(item);
                    }
                return arr;
            case "integer" or "number":
                var n = schema.TryGetProperty("minimum", out var min) ? min.GetDouble()
                    : schema.TryGetProperty("exclusiveMinimum", out var xmin) ? Math.Floor(xmin.GetDouble()) + 1 : 1;
                return type == "integer" ? JsonValue.Create((long)Math.Ceiling(n)) : JsonValue.Create(n);
            case "boolean": return JsonValue.Create(true);
            case "null": return null;
            case "string":
                if (schema.TryGetProperty("pattern", out var pattern))
                {
                    var regex = new System.Text.RegularExpressions.Regex(pattern.GetString()!, System.Text.RegularExpressions.RegexOptions.ECMAScript);
                    return JsonValue.Create(PatternCandidates.FirstOrDefault(regex.IsMatch) ?? "x");
                }
                if (schema.TryGetProperty("format", out var f) && FormatSamples.TryGetValue(f.GetString()!, out var s)) return JsonValue.Create(s);
                var length = schema.TryGetProperty("minLength", out var ml) ? Math.Max(ml.GetInt32(), 3) : 3;
                var max = schema.TryGetProperty("maxLength", out var mx) ? mx.GetInt32() : int.MaxValue;
                return JsonValue.Create(new string('a', Math.Min(length, max)));
            default: return JsonValue.Create("x");
        }
    }
}
