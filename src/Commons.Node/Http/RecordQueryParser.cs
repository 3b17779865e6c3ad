using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Core.Text;
using SortKey = Commons.Core.Records.SortKey;

namespace Commons.Node.Http;

/// <summary>
/// Reads a record listing's query string: <c>q</c> (full text, accent-insensitive), <c>filter.{path}=value</c>
/// (equality; the value is read as the schema types that field), <c>sort=[-]field</c> (id, createdAt, updatedAt,
/// revision or a data field path), <c>limit</c>, <c>cursor</c>.
/// </summary>
public static class RecordQueryParser
{
    private const string FilterPrefix = "filter.";

    public static RecordQuery Parse(IQueryCollection query, Dataset dataset, RecordLimits limits)
    {
        var known = new[] { "q", "sort", "limit", "cursor" };
        foreach (var key in query.Keys)
            if (!known.Contains(key) && !key.StartsWith(FilterPrefix, StringComparison.Ordinal))
                throw ValidationException.For(key, "unknown query parameter: use q, sort, limit, cursor or filter.{field}");

        // Only filters need the schema (to read their values as its types): a listing without one does not parse it.
        JsonNode? schema = null;
        var schemaRead = false;
        var filters = new List<FieldFilter>();
        foreach (var (key, values) in query.Where(kv => kv.Key.StartsWith(FilterPrefix, StringComparison.Ordinal)))
        {
            var path = key[FilterPrefix.Length..];
            CheckPath(path, key);
            if (!schemaRead) (schema, schemaRead) = (JsonNode.Parse(dataset.Schema), true);
            foreach (var v in values) filters.Add(new FieldFilter(path, Typed(v ?? "", TypeAt(schema, path), key)));
        }

        var terms = (query["q"].ToString() is { Length: > 0 } q ? SearchText.Fold(q) : "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(10).ToList();


        return new RecordQuery
        {
            Filters = filters,
            TextTerms = terms,
            Sort = ParseSort(query["sort"].ToString()),
            Limit = PageLimit.From(query, limits.DefaultPageSize, limits.MaxPageSize),
            Cursor = query["cursor"].ToString() is { Length: > 0 } c ? c : null,
        };
    }

    private static RecordSort ParseSort(string sort)
    {
        if (sort.Length == 0) return RecordSort.Default;
        var desc = sort.StartsWith('-');
        var field = sort.TrimStart('-', '+');
        return field switch
        {
            "id" => new RecordSort(SortKey.Id, null, desc),
            "createdAt" => new RecordSort(SortKey.CreatedAt, null, desc),
            "updatedAt" => new RecordSort(SortKey.UpdatedAt, null, desc),
            "revision" => new RecordSort(SortKey.Revision, null, desc),
            _ => new RecordSort(SortKey.DataField, CheckPath(field.StartsWith("data.", StringComparison.Ordinal) ? field[5..] : field, "sort"), desc),
        };
    }

    private static string CheckPath(string path, string parameter)
    {
        var ok = path.Length is > 0 and <= 200 && path.Split('.').All(s => s.Length > 0 && !char.IsAsciiDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
        if (!ok) throw ValidationException.For(parameter, $"'{path}' is not a field path (letters, digits and '_', joined by '.')");
        return path;
    }

    private static string? TypeAt(JsonNode? schema, string path)
    {
        var node = schema;
        foreach (var seg in path.Split('.')) node = node?["properties"]?[seg];
        return node?["type"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var t) => t,
            JsonArray a => a.Select(x => x?.GetValue<string>()).FirstOrDefault(t => t is not "null"),
            _ => null,
        };
    }

    private static JsonElement Typed(string raw, string? type, string parameter)
    {
        string json;
        switch (type)
        {
            case "integer":
                if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) throw ValidationException.For(parameter, "an integer");
                json = i.ToString(CultureInfo.InvariantCulture);
                break;
            case "number":
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) throw ValidationException.For(parameter, "a number");
                json = d.ToString("R", CultureInfo.InvariantCulture);
                break;
            case "boolean":
                if (raw is not ("true" or "false")) throw ValidationException.For(parameter, "true or false");
                json = raw;
                break;
            default:
                json = JsonSerializer.Serialize(raw);
                break;
        }
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
