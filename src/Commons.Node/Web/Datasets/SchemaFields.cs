using System.Globalization;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Node.Web.Records;

namespace Commons.Node.Web.Datasets;

/// <summary>
/// The field builder's translation between fields as members describe them (a label, a type, whether required, a few
/// limits) and the JSON Schema records are checked against. Labels are written as <c>title</c> plus
/// <see cref="RecordDisplay.TitlesKeyword"/> (one per language), help as <c>description</c>. Only what the builder
/// writes is read back (<see cref="FromSchema"/>), so that a schema opened in the builder and saved again means
/// exactly what it meant before.
/// </summary>
public static partial class SchemaFields
{
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>The builder's field types, as the type select's option values.</summary>
    public static readonly IReadOnlyList<string> Types = ["string", "text", "integer", "number", "boolean", "date", "email", "url", "enum"];

    /// <summary>The types whose limits count characters (<c>minLength</c>/<c>maxLength</c>).</summary>
    private static readonly string[] TextTypes = ["string", "text"];

    /// <summary>The types whose limits are values (<c>minimum</c>/<c>maximum</c>).</summary>
    private static readonly string[] NumberTypes = ["integer", "number"];

    /// <summary>The options of a list of choices: comma-separated, trimmed, blanks and repeats dropped.</summary>
    public static List<string> SplitOptions(string? options) =>
        (options ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The schema for the rows (blank rows are left out), or the rows' problems. A row without a key gets one made from
    /// its label; a key typed with accents or spaces is folded the same way. The <c>title</c> (the label a language
    /// without its own falls back to) is the first label in fr, nl, en order, whoever saves: so the same rows always
    /// make the same schema, and a schema goes back and forth between members of different languages unchanged.
    /// </summary>
    public static (string? Schema, IReadOnlyList<SchemaRowError> Errors) ToSchema(IReadOnlyList<SchemaFieldRow> rows)
    {
        var errors = new List<SchemaRowError>();
        var keys = Keys(rows, errors);
        var properties = new JsonObject();
        var required = new JsonArray();
        for (var i = 0; i < rows.Count; i++)
        {
            if (keys[i] is not { } key) continue;
            var row = rows[i];
            var type = row.Type ?? "string";
            if (!Types.Contains(type)) { errors.Add(new SchemaRowError(i, "type", "FieldTypeUnknown")); continue; }
            var options = SplitOptions(row.Options);
            if (type == "enum" && options.Count == 0) { errors.Add(new SchemaRowError(i, "options", "FieldOptionsMissing")); continue; }
            var property = PropertyFor(type, options);
            if (!AddLimits(property, type, row, i, errors)) continue;
            AddLabels(property, row);
            properties[key] = property;
            if (row.Required) required.Add(key);
        }
        if (errors.Count > 0) return (null, errors);
        var schema = new JsonObject { ["$schema"] = Dialect, ["type"] = "object" };
        if (properties.Count > 0) schema["properties"] = properties;
        if (required.Count > 0) schema["required"] = required;
        return (schema.ToJsonString(), []);
    }

    /// <summary>Each row's key, null for a blank row or a row in error: typed keys first, then keys made from labels around them.</summary>
    private static string?[] Keys(IReadOnlyList<SchemaFieldRow> rows, List<SchemaRowError> errors)
    {
        var keys = new string?[rows.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var typed = (rows[i].Name ?? "").Trim();
            if (typed.Length == 0) continue;
            var key = FieldKeys.IsKey(typed) ? typed : FieldKeys.Derive(typed);
            if (key.Length == 0) errors.Add(new SchemaRowError(i, "name", "FieldNameInvalid"));
            else if (!taken.Add(key)) errors.Add(new SchemaRowError(i, "name", "FieldNameDuplicate"));
            else keys[i] = key;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.IsBlank || !string.IsNullOrWhiteSpace(row.Name)) continue;
            var label = SchemaFieldRow.Languages.Select(row.Label).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
            var derived = FieldKeys.Derive(label);
            var key = FieldKeys.Unique(derived.Length == 0 ? "field" : derived, taken);
            taken.Add(key);
            keys[i] = key;
        }
        return keys;
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

    /// <summary>The row's least and greatest values (or lengths) on the property; false with an error when they cannot be.</summary>
    private static bool AddLimits(JsonObject property, string type, SchemaFieldRow row, int i, List<SchemaRowError> errors)
    {
        var min = (row.Min ?? "").Trim();
        var max = (row.Max ?? "").Trim();
        if (min.Length == 0 && max.Length == 0) return true;
        var isText = TextTypes.Contains(type);
        if (!isText && !NumberTypes.Contains(type))
        {
            errors.Add(new SchemaRowError(i, min.Length > 0 ? "min" : "max", "FieldLimitNotForType"));
            return false;
        }
        var (lowKey, highKey) = isText ? ("minLength", "maxLength") : ("minimum", "maximum");
        decimal? low = null, high = null;
        var ok = true;
        foreach (var (text, input, keyword) in new[] { (min, "min", lowKey), (max, "max", highKey) })
        {
            if (text.Length == 0) continue;
            var whole = isText || type == "integer";
            if (!FormNumbers.TryRead(text, CultureInfo.CurrentCulture, out var value) || (whole && value != decimal.Truncate(value))
                || (isText && value < 0) || (whole && value is < long.MinValue or > long.MaxValue))
            {
                errors.Add(new SchemaRowError(i, input, isText ? "FieldLengthInvalid" : type == "integer" ? "FieldWholeLimitInvalid" : "FieldLimitInvalid"));
                ok = false;
                continue;
            }
            property[keyword] = whole ? JsonValue.Create((long)value) : JsonValue.Create(value);
            if (input == "min") low = value; else high = value;
        }
        if (ok && low > high)
        {
            errors.Add(new SchemaRowError(i, "max", "FieldLimitOrder"));
            ok = false;
        }
        return ok;
    }

    private static void AddLabels(JsonObject property, SchemaFieldRow row)
    {
        var labels = SchemaFieldRow.Languages.Select(l => (Language: l, Label: row.Label(l)?.Trim())).Where(l => !string.IsNullOrEmpty(l.Label)).ToList();
        if (labels.Count > 0)
        {
            property["title"] = labels[0].Label;
            property[RecordDisplay.TitlesKeyword] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Language, (JsonNode?)JsonValue.Create(l.Label))));
        }
        if (row.Description?.Trim() is { Length: > 0 } description) property["description"] = description.ReplaceLineEndings("\n");
    }
}
