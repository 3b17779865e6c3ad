using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;

namespace Commons.Node.Web.Records;

/// <summary>
/// Reads a dataset's JSON Schema into form fields, one per top-level property, in the schema's order. Shapes a simple
/// input cannot hold (nested objects, arrays, combinators, references) become a JSON text area for that field.
/// The schema itself still decides what is valid: the record goes through <c>RecordService</c> like any API write.
/// </summary>
public sealed record SchemaForm(IReadOnlyList<FormField> Fields, bool AllowsOtherProperties)
{
    /// <summary>Strings longer than this get a text area rather than a one-line input.</summary>
    public const int LongText = 200;

    /// <summary>The form for a schema; each field labelled in <paramref name="language"/> (the page's by default) as <see cref="RecordDisplay.Label"/> says.</summary>
    public static SchemaForm From(string schemaText, string? language = null)
    {
        language ??= CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var display = RecordDisplay.Of(schemaText);
        using var doc = JsonDocument.Parse(schemaText);
        var root = doc.RootElement;
        var required = root.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
            ? req.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var fields = new List<FormField>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            foreach (var p in props.EnumerateObject())
                fields.Add(FieldOf(p.Name, p.Value, required.Contains(p.Name), UniqueId(p.Name, ids), display.Label(p.Name, language)));
        // Properties the schema does not list are allowed unless additionalProperties (or unevaluatedProperties) says no.
        var closed = IsFalse(root, "additionalProperties") || IsFalse(root, "unevaluatedProperties");
        return new SchemaForm(fields, !closed);
    }

    private static bool IsFalse(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var v) && v.ValueKind == JsonValueKind.False;

    private static FormField FieldOf(string name, JsonElement schema, bool required, string id, string title)
    {
        var description = Text(schema, "description");
        var maxLength = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("maxLength", out var ml) && ml.TryGetInt32(out var m) ? m : (int?)null;
        var kind = KindOf(schema, maxLength);
        var options = kind == FieldKind.Select
            ? schema.GetProperty("enum").EnumerateArray().Select(v => new FieldOption(FormValueOf(v), v.Clone())).ToList()
            : [];
        return new FormField(name, id, kind, required, title, description, options, maxLength);
    }

    private static FieldKind KindOf(JsonElement schema, int? maxLength)
    {
        if (schema.ValueKind != JsonValueKind.Object) return FieldKind.Json;
        if (schema.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0
            && e.EnumerateArray().All(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            && e.EnumerateArray().Select(FormValueOf).Distinct(StringComparer.Ordinal).Count() == e.GetArrayLength())
            return FieldKind.Select;
        foreach (var combinator in new[] { "$ref", "oneOf", "anyOf", "allOf", "if", "not", "const" })
            if (schema.TryGetProperty(combinator, out _)) return FieldKind.Json;
        var format = Text(schema, "format");
        return TypeOf(schema) switch
        {
            "string" => format switch
            {
                "date" => FieldKind.Date,
                "email" or "idn-email" => FieldKind.Email,
                "uri" or "iri" => FieldKind.Url,
                "textarea" or "multiline" => FieldKind.TextArea,
                // The builder's long text.
                _ when Text(schema, "contentMediaType") == "text/plain" => FieldKind.TextArea,
                _ => maxLength > LongText ? FieldKind.TextArea : FieldKind.Text,
            },
            "integer" => FieldKind.Integer,
            "number" => FieldKind.Number,
            "boolean" => FieldKind.Checkbox,
            _ => FieldKind.Json,
        };
    }

    /// <summary>The one type a property has; <c>["string","null"]</c> counts as string. Several real types: none.</summary>
    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var t)) return null;
        if (t.ValueKind == JsonValueKind.String) return t.GetString();
        if (t.ValueKind != JsonValueKind.Array) return null;
        var types = t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()).Where(x => x != "null").ToList();
        return types.Count == 1 ? types[0] : null;
    }

    /// <summary>How a JSON value of an enum travels in a form: a string as itself, anything else as its JSON text.</summary>
    public static string FormValueOf(JsonElement v) => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();

    private static string? Text(JsonElement schema, string keyword) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An HTML id from a property name: <c>field-</c> then the name, other characters as '_', made unique.</summary>
    private static string UniqueId(string name, HashSet<string> taken)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        var id = "field-" + (safe.Length == 0 ? "_" : safe);
        for (var n = 2; !taken.Add(id); n++) id = $"field-{safe}-{n}";
        return id;
    }
}
