using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Json.Pointer;
using Json.Schema;

namespace Commons.Core.Schemas;

/// <summary>
/// A dataset's JSON Schema (2020-12), compiled once with JsonSchema.Net, and the validation of records against it.
/// Errors name the failing place as a JSON path: <c>$.address.city</c>, <c>$.tags[2]</c>.
/// </summary>
public sealed class RecordSchema
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true, FormatRegistry = GuardedDialect.Formats };
    // A valid record (the usual case) needs only the verdict; the listed errors are worth a second pass only when it fails.
    private static readonly EvaluationOptions VerdictOnly = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true, FormatRegistry = GuardedDialect.Formats };
    private static readonly ConcurrentDictionary<string, RecordSchema> Compiled = new();
    private readonly JsonSchema _schema;
    private readonly JsonNode? _schemaNode;
    // The verdict of most records without JsonSchema.Net (VerdictCompiler); null when the schema is left to the library.
    private readonly VerdictCheck? _verdict;
    // The last schema text looked up, by reference: a dataset's text is hashed (a few kilobytes) only when it changes.
    private static volatile RecordSchema? _last;
    private string _text = "";

    private RecordSchema(JsonSchema schema, JsonNode? schemaNode, VerdictCheck? verdict) =>
        (_schema, _schemaNode, _verdict) = (schema, schemaNode, verdict);

    /// <summary>Whether records are checked by the compiled verdict first (false: by JsonSchema.Net alone).</summary>
    internal bool HasCompiledVerdict => _verdict is not null;

    /// <summary>
    /// The compiled schema of a stored dataset; cached, since datasets keep their schema for a long time. A stored schema
    /// is not judged again (one saved before a rule existed must still load): validation itself is bounded.
    /// </summary>
    public static RecordSchema For(string schemaText)
    {
        if (_last is { } last && ReferenceEquals(last._text, schemaText)) return last;
        if (!Compiled.TryGetValue(schemaText, out var s))
        {
            var compiled = Parse(schemaText, "schema", judge: false);
            compiled._text = schemaText;
            if (Compiled.Count > 1000) Compiled.Clear();
            s = Compiled.GetOrAdd(schemaText, compiled);
        }
        _last = s;
        return s;
    }

    /// <summary>
    /// Checks that a dataset schema is a usable 2020-12 schema for records (an object schema) that validation can always
    /// finish (<see cref="SchemaAnalysis"/>), and compiles it.
    /// </summary>
    public static RecordSchema Compile(string schemaText, string field) => Parse(schemaText, field, judge: true);

    /// <summary>What <see cref="Compile"/> would refuse in a schema already stored, each problem at its place (for <c>check</c>).</summary>
    public static IReadOnlyList<FieldError> ProblemsOf(string schemaText)
    {
        try { Compile(schemaText, "schema"); return []; }
        catch (ValidationException e) { return e.Errors; }
    }

    private static RecordSchema Parse(string schemaText, string field, bool judge)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(schemaText, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { throw ValidationException.For(field, $"the schema is not JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw ValidationException.For(field, "the schema must be a JSON object");
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
                throw ValidationException.For($"{field}.type", "a record schema describes an object: its root needs \"type\": \"object\"");
            if (root.TryGetProperty("$schema", out var dialect)
                && (dialect.ValueKind != JsonValueKind.String || dialect.GetString() != "https://json-schema.org/draft/2020-12/schema"))
                throw ValidationException.For($"{field}.$schema", "only JSON Schema 2020-12 is supported");
            if (ContainsExternalRef(root))
                throw ValidationException.For(field, "a schema may only $ref inside itself (\"#…\")");

            var meta = MetaSchema.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!meta.IsValid)
            {
                var errors = Flatten(meta).Select(e => new FieldError(ToPath(e.Location, field), e.Message)).ToList();
                throw new ValidationException(errors.Count > 0 ? errors : [new FieldError(field, "not a valid JSON Schema 2020-12")]);
            }
            if (judge && SchemaAnalysis.Problems(root) is { Count: > 0 } problems)
                throw new ValidationException(problems.Select(p => new FieldError(ToPath(JsonPointer.Parse(p.Pointer), field), p.Message)).ToList());
            try
            {
                // A fresh registry per build: datasets may share $id values without clashing.
                var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = GuardedDialect.Instance };
                var schema = JsonSchema.Build(WithoutDialects(root), options);
                return new RecordSchema(schema, JsonNode.Parse(root.GetRawText()), VerdictCompiler.Compile(root));
            }
            catch (Exception e) when (e is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException or RefResolutionException)
            {
                throw ValidationException.For(field, $"the schema cannot be used: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The schema without its <c>$schema</c> keywords: JsonSchema.Net builds a subschema that names its dialect with that
    /// dialect's own keywords, which would bypass the time limits and budgets of <see cref="GuardedDialect"/>. Only 2020-12
    /// is accepted, so nothing else changes.
    /// </summary>
    private static JsonElement WithoutDialects(JsonElement root)
    {
        var node = JsonNode.Parse(root.GetRawText())!.AsObject();
        node.Remove("$schema");
        foreach (var (pointer, _) in SchemaMap.Of(root).NestedDialects)
        {
            JsonNode? parent = node;
            var segments = JsonPointer.Parse(pointer);
            for (var i = 0; i < segments.SegmentCount - 1 && parent is not null; i++)
            {
                var seg = Segment(segments, i);
                parent = parent is JsonArray arr && int.TryParse(seg, out var n) && n < arr.Count ? arr[n] : parent is JsonObject o ? o[seg] : null;
            }
            (parent as JsonObject)?.Remove("$schema");
        }
        return JsonSerializer.SerializeToElement(node);
    }

    private static JsonSchema MetaSchema => MetaSchemaHolder.Value;
    private static readonly Lazy<JsonSchema> MetaSchemaHolder = new(() => JsonSchema.FromText(
        """{"$ref":"https://json-schema.org/draft/2020-12/schema"}"""));

    public IReadOnlyList<FieldError> Validate(JsonElement data)
    {
        EvaluationResults results;
        try
        {
            // A compiled "valid" is final; a compiled "invalid" skips to the pass that lists the errors.
            var verdict = CompiledVerdict(data);
            if (verdict == true) return [];
            RefBudget.Reset();
            if (verdict is null && _schema.Evaluate(data, VerdictOnly).IsValid) return [];
            RefBudget.Reset();
            results = _schema.Evaluate(data, Options);
        }
        catch (SchemaEvaluationException e) { return [new FieldError(ToPath(e.InstanceLocation, "$"), e.Message)]; }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException)
        {
            return [new FieldError("$", $"the dataset's schema cannot be applied ({e.Message}); a steward must change the schema")];
        }
        catch (FormatException e) { return [UncomparableNumbers.ErrorFor(data, e)]; }
        if (results.IsValid) return [];
        var errors = new List<FieldError>();
        foreach (var (location, keyword, message) in FlattenWithKeyword(results))
        {
            if (keyword == "required")
            {
                var before = errors.Count;
                foreach (var missing in MissingRequired(location, Resolve(data, location)))
                    errors.Add(new FieldError(ToPath(location, "$") + PathSegment(missing), "is required"));
                if (errors.Count > before) continue;
            }
            errors.Add(new FieldError(ToPath(location, "$"), message));
        }
        return errors.DistinctBy(e => (e.Path, e.Message)).Take(100).ToList();
    }

    /// <summary>JsonSchema.Net's verdict alone, as <see cref="Validate"/> asked it before the compiled verdict existed.</summary>
    internal bool LibraryVerdict(JsonElement data)
    {
        RefBudget.Reset();
        try { return _schema.Evaluate(data, VerdictOnly).IsValid; }
        catch (Exception e) when (e is SchemaEvaluationException or JsonSchemaException or RefResolutionException or FormatException) { return false; }
    }

    /// <summary>The compiled checker's verdict; null when it has none or cannot be sure of one.</summary>
    internal bool? CompiledVerdict(JsonElement data)
    {
        if (_verdict is null) return null;
        var walk = new VerdictWalk();
        try { return _verdict.Holds(data, ref walk); }
        // Unsure (VerdictUnknown), or a value the library's own calls refuse (a number beyond double): the library decides.
        catch (Exception e) when (e is VerdictUnknown or FormatException or InvalidOperationException or ArgumentException) { return null; }
    }

    public void EnsureValid(JsonElement data)
    {
        var errors = Validate(data);
        if (errors.Count > 0) throw new ValidationException(errors);
    }

    private IEnumerable<string> MissingRequired(JsonPointer location, JsonElement? parent)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } obj) yield break;
        foreach (var required in RequiredAt(location))
            if (!obj.TryGetProperty(required, out var _)) yield return required;
    }

    /// <summary>The names a schema requires at an instance location, found by walking the schema's properties.</summary>
    private IEnumerable<string> RequiredAt(JsonPointer location)
    {
        var schemaNode = _schemaNode;
        for (var i = 0; i < location.SegmentCount && schemaNode is not null; i++)
        {
            var seg = Segment(location, i);
            schemaNode = int.TryParse(seg, out _) ? schemaNode["items"] : schemaNode["properties"]?[seg];
        }
        if (schemaNode?["required"] is JsonArray arr)
            foreach (var n in arr) if (n?.GetValue<string>() is { } s) yield return s;
    }

    private static JsonElement? Resolve(JsonElement root, JsonPointer pointer)
    {
        var current = root;
        for (var i = 0; i < pointer.SegmentCount; i++)
        {
            var seg = Segment(pointer, i);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(seg, out var next)) current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(seg, out var idx) && idx < current.GetArrayLength()) current = current[idx];
            else return null;
        }
        return current;
    }

    private static IEnumerable<(JsonPointer Location, string Message)> Flatten(EvaluationResults results) =>
        FlattenWithKeyword(results).Select(e => (e.Location, e.Message));

    private static IEnumerable<(JsonPointer Location, string Keyword, string Message)> FlattenWithKeyword(EvaluationResults results)
    {
        var stack = new Stack<EvaluationResults>();
        stack.Push(results);
        var found = new List<(JsonPointer, string, string)>();
        while (stack.Count > 0)
        {
            var r = stack.Pop();
            if (r.Errors is { Count: > 0 })
                foreach (var (keyword, message) in r.Errors) found.Add((r.InstanceLocation, keyword, message));
            if (r.Details is { Count: > 0 })
                foreach (var d in r.Details) stack.Push(d);
        }
        return found;
    }

    /// <summary>A JSON Pointer as a JSON path under <paramref name="root"/>: <c>/a/0/b c</c> → <c>$.a[0]['b c']</c>.</summary>
    public static string ToPath(JsonPointer pointer, string root)
    {
        var path = root;
        for (var i = 0; i < pointer.SegmentCount; i++)
        {
            var seg = Segment(pointer, i);
            path += int.TryParse(seg, out var n) && n >= 0 && seg == n.ToString() ? $"[{n}]" : PathSegment(seg);
        }
        return path;
    }

    /// <summary>A pointer's segment as the name it stands for (the pointer keeps it escaped: <c>a~1b</c> is <c>a/b</c>).</summary>
    private static string Segment(JsonPointer pointer, int i) => pointer[i].ToString().Replace("~1", "/").Replace("~0", "~");

    internal static string PathSegment(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0])
            ? "." + name
            : "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";

    private static bool ContainsExternalRef(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Any(p =>
            (p.Name is "$ref" or "$dynamicRef" && p.Value.ValueKind == JsonValueKind.String && !(p.Value.GetString() ?? "").StartsWith('#'))
            || ContainsExternalRef(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Any(ContainsExternalRef),
        _ => false,
    };
}
