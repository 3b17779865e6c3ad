using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Commons.Node.Web.Datasets;

/// <summary>One row of the schema form builder, as the browser posts it.</summary>
public sealed class SchemaFieldRow
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public bool Required { get; set; }
    /// <summary>For a list of choices: the options, separated by commas.</summary>
    public string? Options { get; set; }
}

/// <summary>A problem with one builder row: which row, which of its inputs, and what (a key of the area's strings).</summary>
public sealed record SchemaRowError(int Row, string Input, string Problem);

/// <summary>
/// The schema form builder's translation between simple fields (a name, a type, required or not) and a JSON Schema
/// (2020-12) for records. Only shapes the builder writes itself are read back, so that a schema opened in the
/// builder and saved again means exactly what it meant before; anything richer stays in the JSON view.
/// </summary>
public static partial class SchemaFields
{
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>The builder's field types, as the type select's option values.</summary>
    public static readonly IReadOnlyList<string> Types = ["string", "text", "integer", "number", "boolean", "date", "email", "url", "enum"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex NamePattern();

    public static bool IsFieldName(string name) => NamePattern().IsMatch(name);

    /// <summary>The options of a list of choices: comma-separated, trimmed, blanks and repeats dropped.</summary>
    public static List<string> SplitOptions(string? options) =>
        (options ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The schema for the rows (rows without a name are left out), or the rows' problems: a name that is not a field
    /// name, a name used twice, an unknown type, a list of choices without options.
    /// </summary>
    public static (string? Schema, IReadOnlyList<SchemaRowError> Errors) ToSchema(IReadOnlyList<SchemaFieldRow> rows)
    {
        var errors = new List<SchemaRowError>();
        var properties = new JsonObject();
        var required = new JsonArray();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var name = (row.Name ?? "").Trim();
            if (name.Length == 0) continue;
            if (!IsFieldName(name)) { errors.Add(new SchemaRowError(i, "name", "FieldNameInvalid")); continue; }
            if (properties.ContainsKey(name)) { errors.Add(new SchemaRowError(i, "name", "FieldNameDuplicate")); continue; }
            var type = row.Type ?? "string";
            if (!Types.Contains(type)) { errors.Add(new SchemaRowError(i, "type", "FieldTypeUnknown")); continue; }
            var options = SplitOptions(row.Options);
            if (type == "enum" && options.Count == 0) { errors.Add(new SchemaRowError(i, "options", "FieldOptionsMissing")); continue; }
            properties[name] = PropertyFor(type, options);
            if (row.Required) required.Add(name);
        }
        if (errors.Count > 0) return (null, errors);
        var schema = new JsonObject { ["$schema"] = Dialect, ["type"] = "object" };
        if (properties.Count > 0) schema["properties"] = properties;
        if (required.Count > 0) schema["required"] = required;
        return (schema.ToJsonString(), []);
    }

    private static JsonObject PropertyFor(string type, List<string> options) => type switch
    {
        "text" => new JsonObject { ["type"] = "string", ["contentMediaType"] = "text/plain" },
        "integer" => new JsonObject { ["type"] = "integer" },
        "number" => new JsonObject { ["type"] = "number" },
        "boolean" => new JsonObject { ["type"] = "boolean" },
        "date" => new JsonObject { ["type"] = "string", ["format"] = "date" },
        "email" => new JsonObject { ["type"] = "string", ["format"] = "email" },
        "url" => new JsonObject { ["type"] = "string", ["format"] = "uri" },
        "enum" => new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(options.Select(o => (JsonNode)JsonValue.Create(o)).ToArray()) },
        _ => new JsonObject { ["type"] = "string" },
    };

    /// <summary>
    /// The builder rows for a schema the builder could have written (same meaning once written again), else null:
    /// then the schema is edited as JSON.
    /// </summary>
    public static List<SchemaFieldRow>? FromSchema(string? schemaText)
    {
        if (string.IsNullOrWhiteSpace(schemaText)) return [];
        JsonNode? root;
        try { root = JsonNode.Parse(schemaText); }
        catch (JsonException) { return null; }
        if (root is not JsonObject obj) return null;
        if (obj.Any(p => p.Key is not ("$schema" or "type" or "properties" or "required"))) return null;
        if (obj["$schema"] is { } dialect && (dialect.GetValueKind() != JsonValueKind.String || dialect.GetValue<string>() != Dialect)) return null;
        if (obj["type"] is not JsonValue t || t.GetValueKind() != JsonValueKind.String || t.GetValue<string>() != "object") return null;

        var rows = new List<SchemaFieldRow>();
        if (obj["properties"] is { } props)
        {
            if (props is not JsonObject properties) return null;
            foreach (var (name, value) in properties)
            {
                if (!IsFieldName(name) || value is not JsonObject property) return null;
                var row = RowFor(name, property);
                if (row is null) return null;
                rows.Add(row);
            }
        }
        if (obj["required"] is { } req)
        {
            if (req is not JsonArray list) return null;
            foreach (var item in list)
            {
                if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
                var row = rows.FirstOrDefault(r => r.Name == v.GetValue<string>());
                if (row is null || row.Required) return null;
                row.Required = true;
            }
        }
        // The proof: written again, the rows make the same schema (the dialect line aside).
        var (again, errors) = ToSchema(rows);
        if (errors.Count > 0 || again is null) return null;
        var rewritten = JsonNode.Parse(again)!.AsObject();
        if (obj["$schema"] is null) rewritten.Remove("$schema");
        return JsonNode.DeepEquals(rewritten, obj) ? rows : null;
    }

    private static SchemaFieldRow? RowFor(string name, JsonObject property)
    {
        string? Text(string key) => property[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var type = Text("type");
        var keys = property.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        string? kind = (type, keys) switch
        {
            ("string", ["type"]) => "string",
            ("string", ["contentMediaType", "type"]) when Text("contentMediaType") == "text/plain" => "text",
            ("integer", ["type"]) => "integer",
            ("number", ["type"]) => "number",
            ("boolean", ["type"]) => "boolean",
            ("string", ["format", "type"]) => Text("format") switch { "date" => "date", "email" => "email", "uri" => "url", _ => null },
            ("string", ["enum", "type"]) => "enum",
            _ => null,
        };
        if (kind is null) return null;
        var row = new SchemaFieldRow { Name = name, Type = kind };
        if (kind == "enum")
        {
            if (property["enum"] is not JsonArray options || options.Count == 0) return null;
            var values = new List<string>();
            foreach (var o in options)
            {
                if (o is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
                values.Add(v.GetValue<string>());
            }
            // Options the comma-separated input could not give back exactly stay in the JSON view.
            if (!values.SequenceEqual(SplitOptions(string.Join(",", values)))) return null;
            row.Options = string.Join(", ", values);
        }
        return row;
    }
}
