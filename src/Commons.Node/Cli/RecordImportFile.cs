using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Json;
using Commons.Core.Records;

namespace Commons.Node.Cli;

/// <summary>One record to import and where it is in the file (<c>line 12</c> of a CSV, <c>$[11]</c> of a JSON array).</summary>
public sealed record ImportedRecord(string Where, RecordBatchItem Item);

/// <summary>
/// The records of an import file. JSON: an array of record data objects, or a batch body <c>{"records":[{"id"?,"data","shared"?}]}</c>.
/// CSV: a header naming the fields (dotted for nested ones, <c>address.city</c>; a column <c>id</c> that is no field of the
/// schema is the record id), each cell read as the dataset's schema types its field — integer, number, boolean, string, or
/// JSON for arrays and objects; an empty cell leaves the field out.
/// </summary>
public static class RecordImportFile
{
    public static IReadOnlyList<ImportedRecord> Read(string path, string schemaText, int maxDepth)
    {
        var bytes = File.ReadAllBytes(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => FromCsv(CsvTable.Read(bytes), schemaText),
            ".json" => FromJson(bytes, maxDepth),
            _ => throw new CliException($"import reads .csv or .json files, not '{Path.GetFileName(path)}'"),
        };
    }

    private static List<ImportedRecord> FromJson(byte[] bytes, int maxDepth)
    {
        using var doc = StrictJson.TryParse(bytes, maxDepth + 2, out var error)
            ?? throw new CsvException($"the file is not JSON the node accepts: {(error!.Path is null ? "" : error.Path + ": ")}{error.Message}", error.Code);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
            return root.EnumerateArray().Select((e, i) => new ImportedRecord($"$[{i}]", new RecordBatchItem(null, e.Clone()))).ToList();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var list) && list.ValueKind == JsonValueKind.Array)
            return list.EnumerateArray().Select((e, i) => new ImportedRecord($"$.records[{i}]", Entry(e, i))).ToList();
        throw new CsvException("a JSON import is an array of records, or {\"records\": [{\"id\", \"data\", \"shared\"}]}");
    }

    private static RecordBatchItem Entry(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("data", out var data))
            return new RecordBatchItem(null, default) { Unreadable = new BatchError(index, $"$.records[{index}]", ProblemCodes.ValidationFailed, "an entry is {\"id\"?, \"data\", \"shared\"?}") };
        var id = e.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        var shared = !e.TryGetProperty("shared", out var s) || s.ValueKind != JsonValueKind.False;
        return new RecordBatchItem(id, data.Clone(), shared);
    }

    private static List<ImportedRecord> FromCsv(CsvTable table, string schemaText)
    {
        var schema = JsonNode.Parse(schemaText)!.AsObject();
        var closed = schema["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var open) && !open;
        var columns = table.Header.Select((name, i) => Column(schema, name, i, closed)).ToList();
        var records = new List<ImportedRecord>(table.Rows.Count);
        foreach (var (line, fields) in table.Rows)
        {
            var data = new JsonObject();
            string? id = null;
            for (var i = 0; i < fields.Length; i++)
            {
                var cell = fields[i];
                if (cell.Length == 0) continue;
                var column = columns[i];
                if (column.IsId) { id = cell; continue; }
                Place(data, column.Path, Value(cell, column, line));
            }
            records.Add(new ImportedRecord($"line {line}", new RecordBatchItem(id, JsonSerializer.SerializeToElement(data))));
        }
        return records;
    }

    private sealed record CsvColumn(string Name, int Number, string[] Path, string Type, bool IsId);

    private static CsvColumn Column(JsonObject schema, string name, int index, bool closed)
    {
        var path = name.Split('.');
        JsonNode? node = schema;
        foreach (var segment in path) node = node?["properties"]?[segment];
        if (node is null)
        {
            if (name == "id") return new CsvColumn(name, index + 1, path, "string", IsId: true);
            if (closed) throw new CsvException($"line 1, column {index + 1}: '{name}' is not a field of the dataset's schema");
            return new CsvColumn(name, index + 1, path, "string", false);
        }
        return new CsvColumn(name, index + 1, path, TypeOf(node), false);
    }

    /// <summary>The field's JSON type as the schema gives it (the first one that is not null), else inferred from its enum.</summary>
    private static string TypeOf(JsonNode field)
    {
        if (field["type"] is JsonValue t && t.TryGetValue<string>(out var single)) return single;
        if (field["type"] is JsonArray many && many.Select(n => n?.GetValue<string>()).FirstOrDefault(n => n is not null and not "null") is { } first) return first;
        if (field["enum"] is JsonArray values && values.Count > 0 && values.All(n => n?.GetValueKind() == JsonValueKind.Number)) return "number";
        return "string";
    }

    private static JsonNode? Value(string cell, CsvColumn column, int line)
    {
        var where = $"line {line}, column {column.Number} ({column.Name})";
        var inv = CultureInfo.InvariantCulture;
        switch (column.Type)
        {
            case "integer":
                return long.TryParse(cell.Trim(), NumberStyles.AllowLeadingSign, inv, out var n) ? JsonValue.Create(n)
                    : throw new CsvException($"{where}: '{cell}' is not a whole number");
            case "number":
                return decimal.TryParse(cell.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, inv, out var d)
                    ? JsonValue.Create(d)
                    : throw new CsvException($"{where}: '{cell}' is not a number (use a decimal point)");
            case "boolean":
                return cell.Trim().ToLowerInvariant() switch
                {
                    "true" => JsonValue.Create(true),
                    "false" => JsonValue.Create(false),
                    _ => throw new CsvException($"{where}: '{cell}' is not true or false"),
                };
            case "array" or "object":
                try { return JsonNode.Parse(cell); }
                catch (JsonException) { throw new CsvException($"{where}: an {column.Type} is written as JSON in its cell"); }
            default:
                return JsonValue.Create(cell);
        }
    }

    private static void Place(JsonObject data, string[] path, JsonNode? value)
    {
        var target = data;
        foreach (var segment in path[..^1])
        {
            if (target[segment] is not JsonObject next) target[segment] = next = new JsonObject();
            target = next;
        }
        target[path[^1]] = value;
    }
}
