using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;

namespace Commons.Node.Web.Datasets;

public static partial class SchemaFields
{
    /// <summary>The keywords of a property the builder writes; labels (title, per-language titles) are compared by what members read.</summary>
    private static readonly string[] LabelKeywords = ["title", RecordDisplay.TitlesKeyword];

    /// <summary>
    /// The builder rows for a schema the builder can show without losing anything, else null (then the schema is edited
    /// as JSON). Written again with <see cref="ToSchema"/>, the rows must give the same schema, except that the
    /// labels may be spelled differently as long as every language reads the same label (a schema with only
    /// <c>title</c> gets it as the <paramref name="language"/> label).
    /// </summary>
    public static List<SchemaFieldRow>? FromSchema(string? schemaText, string language = "en")
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
                if (!FieldKeys.IsKey(name) || value is not JsonObject property) return null;
                var row = RowFor(name, property, language);
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
        return SameMeaning(obj, rows) ? rows : null;
    }

    /// <summary>The proof: written again, the rows make the same schema (the dialect line aside) and the same labels in every language.</summary>
    private static bool SameMeaning(JsonObject original, List<SchemaFieldRow> rows)
    {
        var (again, errors) = ToSchema(rows);
        if (errors.Count > 0 || again is null) return false;
        var originalText = original.ToJsonString();
        var before = Unlabelled(JsonNode.Parse(originalText)!.AsObject());
        var after = Unlabelled(JsonNode.Parse(again)!.AsObject());
        if (original["$schema"] is null) after.Remove("$schema");
        if (!JsonNode.DeepEquals(before, after)) return false;
        var (was, now) = (RecordDisplay.Of(originalText), RecordDisplay.Of(again));
        return rows.All(r => SchemaFieldRow.Languages.All(l => was.Label(r.Name!, l) == now.Label(r.Name!, l)));
    }

    private static JsonObject Unlabelled(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
            foreach (var (_, value) in properties)
                if (value is JsonObject property)
                    foreach (var keyword in LabelKeywords) property.Remove(keyword);
        return schema;
    }

    /// <summary>The row a property reads as; what it cannot hold is simply not read, and the proof then refuses the schema.</summary>
    private static SchemaFieldRow? RowFor(string name, JsonObject property, string language)
    {
        string? Text(string key) => property[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        string? Number(string key) => property[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : null;
        var type = Text("type");
        var format = Text("format");
        string? kind = type switch
        {
            "string" when property.ContainsKey("enum") => "enum",
            "string" when Text("contentMediaType") == "text/plain" => "text",
            "string" => format switch { null => "string", "date" => "date", "email" => "email", "uri" => "url", _ => null },
            "integer" or "number" or "boolean" => type,
            _ => null,
        };
        if (kind is null) return null;
        var row = new SchemaFieldRow { Name = name, Type = kind, Description = Text("description") };
        var isText = kind is "string" or "text";
        row.Min = Number(isText ? "minLength" : "minimum");
        row.Max = Number(isText ? "maxLength" : "maximum");

        if (property[RecordDisplay.TitlesKeyword] is JsonObject titles)
        {
            foreach (var (lang, value) in titles)
            {
                // A language the builder has no input for would be dropped on saving: such labels stay in the JSON view.
                if (!SchemaFieldRow.Languages.Contains(lang) || value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
                row.SetLabel(lang, v.GetValue<string>());
            }
            // A title none of the languages has is what the others read: it takes the first free language, which makes
            // it the title again when written (the proof refuses the schema when it would not).
            if (Text("title") is { } fallback && SchemaFieldRow.Languages.All(l => row.Label(l) != fallback)
                && SchemaFieldRow.Languages.FirstOrDefault(l => row.Label(l) is null) is { } free)
                row.SetLabel(free, fallback);
        }
        else if (property.ContainsKey(RecordDisplay.TitlesKeyword))
        {
            return null;
        }
        else if (Text("title") is { } title)
        {
            row.SetLabel(language, title);
        }

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
