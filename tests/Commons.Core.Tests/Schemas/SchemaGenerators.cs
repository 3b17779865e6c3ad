using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// Generated record schemas and bodies for the compiled-verdict differential tests. Values and keyword arguments come
/// from small pools that sit on the edges the keywords decide on (1 and 1.0, a surrogate pair, 30 February, names the
/// schemas declare), so that generated bodies pass and fail in about equal measure.
/// </summary>
internal static class SchemaGenerators
{
    public static readonly string[] Names = ["a", "b", "c", "d", "é/~x"];

    /// <summary>Scalars as raw JSON text (the text decides what "integer" means).</summary>
    public static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "1", "-1", "1.5", "1.0", "2", "100", "0.3", "1e2", "3", "-0", "9007199254740993", "0.1", "0.10000000000000000001", "1e30", "1e300", "-0.0", "2.50", "1E-2", "1.0000000000000000001", "2e0", "-3.000",
        "\"\"", "\"a\"", "\"ab\"", "\"abc\"", "\"b\"", "\"é\"", "\"😀\"", "\"a😀\"", "\"2025-01-31\"", "\"2025-02-30\"",
        "\"2025-06-01T12:00:00Z\"", "\"2025-06-01T25:00:00Z\"", "\"https://a.example/x\"", "\"/relative\"", "\"x@y.example\"",
        "\"x@@y\"", "\"not valid\"", "\"123\"", "\"550e8400-e29b-41d4-a716-446655440000\"", "\"10.0.0.1\"", "\"12:00:00Z\"",
        "\"ex.ample\"", "\"P1D\"", "\"ab\\u0000\"", "\"e\\u0301\"", "\"a\\r\\nb\"", "\"ab\\r\"", "\"١٢\"", "\"a\\u00A0b\"",
    ];

    public static readonly string[] Patterns = ["^a", "b$", "^[a-z]+$", "\\\\d", "^.{2}$", "é", "^\\\\p{L}+$", "(a|b)+"];
    public static readonly string[] Numbers = ["-1", "0", "1", "1.5", "2", "100", "0.5", "0.1", "1e30"];
    public static readonly string[] Divisors = ["0.5", "1", "2", "0.1", "3", "0.01"];
    public static readonly string[] Formats = ["date", "date-time", "uri", "email", "idn-email", "uuid", "ipv4", "time", "hostname", "uri-reference", "duration"];
    public static readonly string[] Types = ["\"string\"", "\"integer\"", "\"number\"", "\"boolean\"", "\"null\"", "\"object\"", "\"array\"", "[\"string\",\"null\"]", "[\"integer\",\"string\"]"];

    private static Gen<string> Quote(Gen<string> g) => g.Select(s => JsonSerializer.Serialize(s));

    /// <param name="duplicates">Whether an object may name a member twice (JsonDocument keeps both; JsonNode refuses).</param>
    public static Gen<string> Value(int depth, bool duplicates = false)
    {
        var scalar = Gen.Elements(Scalars);
        if (depth <= 0) return scalar;
        var array = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Value(depth - 1, duplicates), n)).Select(items => "[" + string.Join(",", items) + "]");
        var member = Quote(Gen.Elements(Names.Append("e").ToArray())).SelectMany(n => Value(depth - 1, duplicates), (n, v) => n + ":" + v);
        var obj = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(member, n))
            .Select(ms => "{" + string.Join(",", duplicates ? ms : ms.DistinctBy(m => m[..m.IndexOf("\":", StringComparison.Ordinal)])) + "}");
        return Gen.Frequency((4, scalar), (2, array), (3, obj));
    }

    /// <summary>A subschema as JSON text; <paramref name="defs"/> may be referenced as <c>#/$defs/d0</c>.</summary>
    public static Gen<string> Subschema(int depth, bool defs)
    {
        var keywords = new List<(int, Gen<string>)>
        {
            (6, Gen.Elements(Types).Select(t => $"\"type\":{t}")),
            (3, Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(Scalars), n)).Select(v => $"\"enum\":[{string.Join(",", v)}]")),
            (1, Gen.Elements(Scalars).Select(v => $"\"const\":{v}")),
            (2, Gen.Choose(0, 4).Select(n => $"\"minLength\":{n}")),
            (2, Gen.Choose(0, 4).Select(n => $"\"maxLength\":{n}")),
            (2, Gen.Elements(Patterns).Select(p => $"\"pattern\":\"{p}\"")),
            (2, Gen.Elements(Numbers).Select(n => $"\"minimum\":{n}")),
            (2, Gen.Elements(Numbers).Select(n => $"\"maximum\":{n}")),
            (1, Gen.Elements(Numbers).Select(n => $"\"exclusiveMinimum\":{n}")),
            (1, Gen.Elements(Numbers).Select(n => $"\"exclusiveMaximum\":{n}")),
            (2, Gen.Elements(Divisors).Select(n => $"\"multipleOf\":{n}")),
            (3, Gen.Elements(Formats).Select(f => $"\"format\":\"{f}\"")),
            (1, Gen.Elements("\"title\":\"t\"", "\"description\":\"d\"", "\"default\":1", "\"$comment\":\"c\"", "\"examples\":[1]", "\"x-titles\":{\"fr\":\"t\"}")),
        };
        if (defs) keywords.Add((2, Gen.Constant("\"$ref\":\"#/$defs/d0\"")));
        if (depth > 0)
        {
            var sub = Subschema(depth - 1, defs);
            var subs = Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(sub, n)).Select(s => "[" + string.Join(",", s) + "]");
            keywords.AddRange(ObjectKeywords(depth, defs));
            keywords.Add((3, sub.Select(s => $"\"items\":{s}")));
            keywords.Add((1, subs.Select(s => $"\"prefixItems\":{s}")));
            keywords.Add((2, Gen.Choose(0, 3).Select(n => $"\"minItems\":{n}")));
            keywords.Add((2, Gen.Choose(0, 3).Select(n => $"\"maxItems\":{n}")));
            keywords.Add((1, Gen.Elements("true", "false").Select(b => $"\"uniqueItems\":{b}")));
            keywords.Add((1, subs.Select(s => $"\"allOf\":{s}")));
            keywords.Add((2, subs.Select(s => $"\"anyOf\":{s}")));
            keywords.Add((2, subs.Select(s => $"\"oneOf\":{s}")));
            keywords.Add((1, sub.Select(s => $"\"not\":{s}")));
            keywords.Add((1, Gen.Zip(sub, Gen.Zip(sub, sub)).Select(t => $"\"if\":{t.Item1},\"then\":{t.Item2.Item1},\"else\":{t.Item2.Item2}")));
        }
        var schema = Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Frequency(keywords), n))
            .Select(k => "{" + string.Join(",", k.DistinctBy(Keyword)) + "}");
        return Gen.Frequency((12, schema), (1, Gen.Elements("true", "false")));
    }

    private static IEnumerable<(int, Gen<string>)> ObjectKeywords(int depth, bool defs)
    {
        var sub = Subschema(depth - 1, defs);
        var property = Quote(Gen.Elements(Names)).SelectMany(_ => sub, (n, s) => n + ":" + s);
        yield return (4, Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(property, n))
            .Select(ps => "\"properties\":{" + string.Join(",", ps.DistinctBy(p => p[..p.IndexOf("\":", StringComparison.Ordinal)])) + "}"));
        yield return (2, Gen.Frequency((2, Gen.Elements("false", "true")), (1, sub)).Select(s => $"\"additionalProperties\":{s}"));
        yield return (3, Gen.SubListOf(Names).Select(r => $"\"required\":[{string.Join(",", r.Select(n => JsonSerializer.Serialize(n)))}]"));
        yield return (1, Gen.Choose(0, 3).Select(n => $"\"minProperties\":{n}"));
        yield return (1, Gen.Choose(0, 3).Select(n => $"\"maxProperties\":{n}"));
    }

    private static string Keyword(string member) => member[..member.IndexOf("\":", StringComparison.Ordinal)];

    /// <summary>A record schema: an object at the root, sometimes with a <c>$defs</c> entry its subschemas reference.</summary>
    public static Gen<string> RecordSchema =>
        Gen.Elements(true, false).SelectMany(defs => Gen.Zip(Subschema(2, defs), Subschema(1, false)).Select(t =>
        {
            var root = JsonNode.Parse(t.Item1) as JsonObject ?? new JsonObject();
            var result = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["type"] = "object" };
            foreach (var (k, v) in root) if (k != "type") result[k] = v?.DeepClone();
            if (defs) result["$defs"] = new JsonObject { ["d0"] = JsonNode.Parse(t.Item2) };
            return result.ToJsonString();
        }));

    /// <summary>A body for a schema: an object built from the names the schemas use, or one mutated from a given body.</summary>
    public static Gen<string> Body => Value(3, duplicates: true).Where(v => v.StartsWith('{'));

    /// <summary>A realistic body with one change: a member removed, replaced by a pool value, or added.</summary>
    public static Gen<string> Mutated(string json) => Gen.Choose(0, 1000).SelectMany(pick => Value(1), (pick, value) =>
    {
        var root = JsonNode.Parse(json)!;
        var containers = new List<JsonNode> { root };
        for (var i = 0; i < containers.Count; i++)
            foreach (var child in containers[i] switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a.AsEnumerable(), _ => [] })
                if (child is JsonObject or JsonArray) containers.Add(child);
        var target = containers[pick % containers.Count];
        var replacement = JsonNode.Parse(value);
        switch (target, pick % 3)
        {
            case (JsonObject o, 0) when o.Count > 0: o.Remove(o.ElementAt(pick % o.Count).Key); break;
            case (JsonObject o, 1) when o.Count > 0: o[o.ElementAt(pick % o.Count).Key] = replacement; break;
            case (JsonObject o, _): o["extra" + pick % 2] = replacement; break;
            case (JsonArray a, 0) when a.Count > 0: a.RemoveAt(pick % a.Count); break;
            case (JsonArray a, 1) when a.Count > 0: a[pick % a.Count] = replacement; break;
            case (JsonArray a, _): a.Add(replacement); break;
        }
        return root.ToJsonString();
    });

    public static T[] Sample<T>(Gen<T> gen, int count, ulong seed, int size = 8) => Gen.Sample(gen, count, new Rnd(seed), size);
}
