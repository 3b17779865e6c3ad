using System.Globalization;
using System.Text.Json.Nodes;

namespace Commons.Node.Tests.Conformance;

/// <summary>One generated request: what it is meant to test, and what is sent.</summary>
public sealed record GeneratedRequest(string Label, string Url, string? Body, string ContentType, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Valid and invalid inputs for an operation, generated from its schemas with a fixed seed. Valid path ids come from
/// the caller (things that exist); invalid inputs are one mutation of a valid request each.
/// </summary>
public sealed class InputGenerator(OpenApiOperations doc, Random random, string cursor)
{
    private const string Letters = "abcdekmxz";
    private const string LoneSurrogate = "LONE-SURROGATE-MARK";

    public GeneratedRequest Valid(OpenApiOperation op, IReadOnlyDictionary<string, string> pathValues)
    {
        var query = new List<(string, string)>();
        var headers = new Dictionary<string, string>();
        foreach (var p in op.Parameters.Where(p => p.In != "path" && (p.Required || random.Next(2) == 0)))
        {
            if (p.In == "header") headers[p.Name] = "\"1\"";
            else if (p.In == "query") query.AddRange(ValidQuery(op, p));
        }
        var body = op.BodySchema is null ? null : Valid(op.BodySchema, 0)?.ToJsonString();
        return new GeneratedRequest("valid", Url(op, pathValues, query), body, "application/json", headers);
    }

    /// <summary>A valid request with one thing broken; which thing is drawn from what the operation takes.</summary>
    public GeneratedRequest Invalid(OpenApiOperation op, IReadOnlyDictionary<string, string> pathValues)
    {
        var valid = Valid(op, pathValues);
        var kinds = new List<string>();
        if (op.Parameters.Any(p => p.In == "path")) kinds.Add("path");
        if (op.Parameters.Any(p => p.In == "query")) kinds.Add("query");
        if (op.Parameters.Any(p => p.In == "header")) kinds.Add("header");
        if (op.BodySchema is not null) kinds.AddRange(["body", "body", "body", "json", "content-type"]);
        if (kinds.Count == 0) kinds.Add("query-unknown");
        switch (kinds[random.Next(kinds.Count)])
        {
            case "path":
                var name = Pick(op.Parameters.Where(p => p.In == "path").ToList()).Name;
                // No "..": HttpClient resolves dot segments, and DELETE …/records/.. would delete the dataset itself.
                var bad = Pick(["no-such-" + Word(), new string('x', 300), "☃", "%2F", "a b"]);
                var values = pathValues.ToDictionary(kv => kv.Key, kv => kv.Key == name ? bad : kv.Value);
                return valid with { Label = $"path {name}={Short(bad)}", Url = Url(op, values, []) };
            case "query":
                var q = Pick(op.Parameters.Where(p => p.In == "query").ToList());
                var (key, value) = InvalidQuery(q);
                return valid with { Label = $"query {key}={Short(value)}", Url = Url(op, pathValues, [(key, value)]) };
            case "header":
                var h = Pick(op.Parameters.Where(p => p.In == "header").ToList());
                return valid with { Label = $"header {h.Name}: garbage", Headers = new Dictionary<string, string> { [h.Name] = "garbage" } };
            case "json":
                var json = Pick(["{\"a\":", "[1,2]", "\"text\"", "null", "{}{}", ""]);
                return valid with { Label = $"body {Short(json)}", Body = json };
            case "content-type":
                return valid with { Label = "body as text/plain", ContentType = "text/plain" };
            case "query-unknown":
                return valid with { Label = "unknown query parameter", Url = valid.Url + (valid.Url.Contains('?') ? "&" : "?") + "zz=1" };
            default:
                var (label, body) = InvalidBody(op.BodySchema!);
                return valid with { Label = label, Body = body };
        }
    }

    private IEnumerable<(string, string)> ValidQuery(OpenApiOperation op, OpenApiParameter p)
    {
        if (p.Name == "filter") return [("filter.name", Word())];
        if (p.Name == "sort") return [("sort", Pick(["id", "-createdAt", "updatedAt", "-revision", "name", "data.count"]))];
        if (p.Name == "cursor") return [("cursor", cursor)];
        var value = Valid(p.Schema, 0);
        return value is null ? [] : [(p.Name, value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString())];
    }

    private (string, string) InvalidQuery(OpenApiParameter p)
    {
        var s = doc.Resolve(p.Schema);
        if (p.Name == "filter") return (Pick(["filter.1bad", "filter.", "filter.a..b"]), "x");
        if (p.Name == "cursor") return ("cursor", Pick(["not-a-cursor", "AAAA", Word(), cursor[..^2], Tampered(cursor)]));
        if (s["enum"] is JsonArray e) return (p.Name, Upper((string)Pick(e.ToList())!));
        return Types(s).FirstOrDefault() switch
        {
            "integer" or "number" => (p.Name, Pick(["abc", "1.5", "-5", "0", "99999999999999999999", s["maximum"] is { } max ? (decimal.Parse(max.ToString(), CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture) : "-1"])),
            "boolean" => (p.Name, Pick(["maybe", "1", "TRUE"])),
            _ => (p.Name, Pick(["!bad!", new string('q', 3000), "a..b", "-"])),
        };
    }

    private (string Label, string Body) InvalidBody(JsonNode schema)
    {
        var body = Valid(schema, 0) as JsonObject ?? new JsonObject();
        var s = doc.Resolve(schema);
        var properties = (s["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        var required = (s["required"] as JsonArray)?.Select(r => (string)r!).ToList() ?? [];
        var enums = properties.Where(p => EnumOf(s["properties"]![p]!) is not null).ToList();
        var options = new List<string> { "unknown", "huge", "surrogate" };
        if (properties.Count > 0) options.Add("type");
        if (required.Count > 0) options.Add("missing");
        if (enums.Count > 0) options.AddRange(["enum", "enum"]);
        switch (Pick(options))
        {
            case "type":
                var p = Pick(properties);
                body[p] = Types(doc.Resolve(s["properties"]![p]!)).Contains("string") ? 12345 : "text";
                return ($"body {p} of the wrong type", body.ToJsonString());
            case "missing":
                var r = Pick(required);
                body.Remove(r);
                return ($"body without required {r}", body.ToJsonString());
            case "enum":
                var ep = Pick(enums);
                body[ep] = Upper(Pick(EnumOf(s["properties"]![ep]!)!));
                return ($"body {ep} in another casing", body.ToJsonString());
            case "huge":
                var target = properties.FirstOrDefault(x => Types(doc.Resolve(s["properties"]![x]!)).Contains("string")) ?? "huge";
                body[target] = new string('x', 70_000);
                return ($"body {target} of 70,000 characters", body.ToJsonString());
            case "surrogate":
                // JSON may escape half a UTF-16 pair; the result is no text at all. Aimed at free-form data first.
                var into = properties.FirstOrDefault(x => Types(doc.Resolve(s["properties"]![x]!)).Count == 0)
                    ?? properties.FirstOrDefault(x => Types(doc.Resolve(s["properties"]![x]!)).Contains("string")) ?? "text";
                body[into] = Types(doc.Resolve(s["properties"]?[into] ?? new JsonObject())).Count == 0 ? new JsonObject { ["name"] = LoneSurrogate } : LoneSurrogate;
                return ($"body {into} with a lone surrogate \\ud800", body.ToJsonString().Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal));
            default:
                body["zzUnknown"] = 1;
                return ("body with an unknown field", body.ToJsonString());
        }
    }

    /// <summary>A value the schema accepts; null only where the schema allows it.</summary>
    public JsonNode? Valid(JsonNode schema, int depth)
    {
        var s = doc.Resolve(schema);
        if (s["enum"] is JsonArray e) return Pick(e.ToList())?.DeepClone();
        if ((s["anyOf"] ?? s["oneOf"]) is JsonArray branches)
        {
            var nonNull = branches.Where(b => !Types(b!).SequenceEqual(["null"])).ToList();
            return nonNull.Count == 0 || random.Next(6) == 0 ? null : Valid(Pick(nonNull)!, depth);
        }
        var types = Types(s).Where(t => t != "null").ToList();
        if (types.Count == 0) return new JsonObject { ["name"] = Word(), ["count"] = random.Next(100) }; // any JSON: a record's data
        switch (types[0])
        {
            case "string":
                return (string?)s["format"] == "date-time" ? DateTimeOffset.UtcNow.AddDays(1 + random.Next(300)).ToString("O") : Word();
            case "integer":
            case "number":
                var min = s["minimum"] is { } lo ? long.Parse(lo.ToString(), CultureInfo.InvariantCulture) : 0;
                var max = s["maximum"] is { } hi ? long.Parse(hi.ToString(), CultureInfo.InvariantCulture) : 20;
                return min + random.Next((int)Math.Min(max - min + 1, 1000));
            case "boolean":
                return random.Next(2) == 0;
            case "array":
                var items = new JsonArray();
                for (var i = random.Next(3); i > 0 && depth < 4; i--) items.Add(Valid(s["items"] ?? new JsonObject(), depth + 1));
                return items;
            default:
                var o = new JsonObject();
                var required = (s["required"] as JsonArray)?.Select(r => (string)r!).ToHashSet() ?? [];
                foreach (var (name, property) in (s["properties"] as JsonObject) ?? [])
                    if (required.Contains(name) || (depth < 4 && random.Next(2) == 0)) o[name] = Valid(property!, depth + 1);
                return o;
        }
    }

    private List<string>? EnumOf(JsonNode schema)
    {
        var s = doc.Resolve(schema);
        var node = s["enum"] ?? ((s["anyOf"] ?? s["oneOf"]) as JsonArray)?.Select(b => doc.Resolve(b!)["enum"]).FirstOrDefault(x => x is not null);
        return (node as JsonArray)?.Select(v => (string)v!).ToList();
    }

    private static List<string> Types(JsonNode s) => s["type"] switch
    {
        JsonArray a => a.Select(t => (string)t!).ToList(),
        JsonValue v => [(string)v!],
        _ => [],
    };

    private static string Url(OpenApiOperation op, IReadOnlyDictionary<string, string> pathValues, IEnumerable<(string Key, string Value)> query)
    {
        var path = pathValues.Aggregate(op.Path, (p, kv) => p.Replace("{" + kv.Key + "}", kv.Value.StartsWith('%') ? kv.Value : Uri.EscapeDataString(kv.Value)));
        var pairs = query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}").ToList();
        return pairs.Count == 0 ? path : path + "?" + string.Join('&', pairs);
    }

    /// <summary>Lowercase ASCII mostly (so that names and slugs are often accepted), now and then with an accent.</summary>
    private string Word() => string.Concat(Enumerable.Range(0, 3 + random.Next(8)).Select(_ => Letters[random.Next(Letters.Length)])) + (random.Next(5) == 0 ? "é" : "");
    /// <summary>A cursor the node gave out with one character changed.</summary>
    private string Tampered(string s)
    {
        var i = random.Next(s.Length);
        return s[..i] + (s[i] == 'A' ? 'B' : 'A') + s[(i + 1)..];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
    private static string Upper(string s) => s.Length == 0 ? "X" : char.ToUpperInvariant(s[0]) + s[1..];
    private static string Short(string s) => s.Length > 40 ? s[..20] + $"…({s.Length} chars)" : s;
}
