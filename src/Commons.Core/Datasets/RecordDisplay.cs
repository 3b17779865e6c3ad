using System.Text.Json;

namespace Commons.Core.Datasets;

/// <summary>
/// How a dataset's records are shown to people: which field names a record (its title), which fields are the columns of
/// a table and in what order, and each field's label in the member's language. Built once per page from the schema and
/// the steward's choices (<see cref="Dataset.TitleField"/>, <see cref="Dataset.Columns"/>); a choice the schema no longer
/// has is ignored rather than refused, so changing a schema never breaks a page.
/// </summary>
/// <remarks>
/// Labels: a property's <c>title</c> is its label; <c>x-titles</c> (an annotation keyword, <c>{"fr": …, "nl": …, "en": …}</c>)
/// gives it per language. Without either, the field's key is shown.
/// </remarks>
public sealed class RecordDisplay
{
    /// <summary>The longest <c>maxLength</c> a string field may declare and still be a record's default title.</summary>
    public const int ShortText = 200;

    /// <summary>The annotation keyword holding a field's label per language.</summary>
    public const string TitlesKeyword = "x-titles";

    private static readonly HashSet<string> NotTitleFormats = new(StringComparer.Ordinal)
    {
        "date", "date-time", "time", "duration", "email", "idn-email", "uri", "iri", "uri-reference", "iri-reference", "uuid",
        "textarea", "multiline",
    };

    private readonly Dictionary<string, FieldLabel> _labels;

    private RecordDisplay(string? titleField, IReadOnlyList<string> fields, IReadOnlyList<string> columns, Dictionary<string, FieldLabel> labels) =>
        (TitleField, Fields, Columns, _labels) = (titleField, fields, columns, labels);

    /// <summary>The top-level field that names a record, or null when the schema has no text field to name it by.</summary>
    public string? TitleField { get; }

    /// <summary>Every top-level property of the schema, in the schema's order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The fields shown as a table's columns besides the title, in order; never the title field.</summary>
    public IReadOnlyList<string> Columns { get; }

    public static RecordDisplay Of(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Of(dataset.Schema, dataset.TitleField, dataset.Columns);
    }

    /// <summary>
    /// The display of records under <paramref name="schemaText"/>. <paramref name="titleField"/>: the chosen title (used if
    /// it is a top-level string property), else the first short text field. <paramref name="columns"/>: the chosen columns
    /// (unknown ones dropped); empty means every field but the title, in the schema's order.
    /// </summary>
    public static RecordDisplay Of(string? schemaText, string? titleField = null, IReadOnlyList<string>? columns = null)
    {
        var fields = new List<string>();
        var labels = new Dictionary<string, FieldLabel>(StringComparer.Ordinal);
        var texts = new List<string>();
        var shortTexts = new List<string>();
        if (!string.IsNullOrWhiteSpace(schemaText))
        {
            try
            {
                using var doc = JsonDocument.Parse(schemaText, new JsonDocumentOptions { MaxDepth = 128 });
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
                    foreach (var p in props.EnumerateObject())
                    {
                        if (labels.ContainsKey(p.Name)) continue;
                        fields.Add(p.Name);
                        labels[p.Name] = FieldLabel.Of(p.Value);
                        if (IsText(p.Value)) texts.Add(p.Name);
                        if (IsShortText(p.Value)) shortTexts.Add(p.Name);
                    }
            }
            catch (JsonException)
            {
                // A schema that does not parse shows records by id, with no columns; the schema's own checks report it.
            }
        }

        var title = titleField is not null && texts.Contains(titleField, StringComparer.Ordinal) ? titleField : shortTexts.FirstOrDefault();
        var chosen = (columns ?? []).Where(c => labels.ContainsKey(c) && c != title).Distinct(StringComparer.Ordinal).ToList();
        var shown = chosen.Count > 0 ? chosen : fields.Where(f => f != title).ToList();
        return new RecordDisplay(title, fields, shown, labels);
    }

    /// <summary>The record's title: the title field's text, trimmed; null when it is missing or blank (show a fallback).</summary>
    public string? TitleOf(JsonElement data) =>
        TitleField is not null && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(TitleField, out var v)
        && v.ValueKind == JsonValueKind.String && v.GetString() is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>The field's label in <paramref name="language"/> (<c>fr</c>, <c>nl</c>, <c>en</c>): its <c>x-titles</c> entry, else its <c>title</c>, else the key.</summary>
    public string Label(string field, string language) =>
        _labels.TryGetValue(field, out var label) ? label.In(language) ?? field : field;

    /// <summary>Whether the schema has this top-level field.</summary>
    public bool Has(string field) => _labels.ContainsKey(field);

    private static bool IsText(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && TypeIsString(schema) && !schema.TryGetProperty("enum", out _);

    private static bool IsShortText(JsonElement schema)
    {
        if (!IsText(schema)) return false;
        if (schema.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && NotTitleFormats.Contains(f.GetString()!)) return false;
        // The field builder marks a long text (a text area) with a media type; a paragraph does not name a record.
        if (schema.TryGetProperty("contentMediaType", out _)) return false;
        return !(schema.TryGetProperty("maxLength", out var ml) && ml.TryGetInt32(out var max) && max > ShortText);
    }

    private static bool TypeIsString(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var t)) return false;
        if (t.ValueKind == JsonValueKind.String) return t.GetString() == "string";
        if (t.ValueKind != JsonValueKind.Array) return false;
        var types = t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()).Where(x => x != "null").ToList();
        return types is ["string"];
    }

    private sealed record FieldLabel(string? Title, LocalizedText Titles)
    {
        public static FieldLabel Of(JsonElement schema)
        {
            if (schema.ValueKind != JsonValueKind.Object) return new FieldLabel(null, LocalizedText.Empty);
            var title = schema.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString()) ? t.GetString() : null;
            var titles = schema.TryGetProperty(TitlesKeyword, out var m) && m.ValueKind == JsonValueKind.Object
                ? new LocalizedText(Text(m, "fr"), Text(m, "nl"), Text(m, "en"))
                : LocalizedText.Empty;
            return new FieldLabel(title, titles);
        }

        public string? In(string language)
        {
            var exact = language switch { "fr" => Titles.Fr, "nl" => Titles.Nl, _ => Titles.En };
            return !string.IsNullOrWhiteSpace(exact) ? exact : Title ?? (Titles.IsBlank() ? null : Titles.In(language));
        }

        private static string? Text(JsonElement map, string key) =>
            map.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;
    }
}
