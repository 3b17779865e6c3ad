using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Commons.Node.Tests.Conformance;

/// <summary>Checks an answer against its operation: a listed status, a listed media type, a body its schema accepts.</summary>
public sealed class ResponseValidator(OpenApiOperations doc)
{
    private readonly Dictionary<string, JsonSchema> _schemas = [];
    private readonly string _definitions = doc.Document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);

    /// <summary>Null when the answer is as documented; otherwise what is wrong.</summary>
    public string? Check(OpenApiOperation op, int status, string? mediaType, string body, Func<string, bool> hasHeader)
    {
        if (status >= 500) return $"server error {status}";
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!op.Responses.TryGetValue(key, out var content))
            return $"status {status} is not documented (documented: {string.Join(", ", op.Responses.Keys)})";
        if (op.ResponseHeaders[key].FirstOrDefault(h => !hasHeader(h)) is { } missing)
            return $"the documented header {missing} is missing";
        if (content.Count == 0)
            return body.Length == 0 ? null : $"status {status} is documented without a body, but one came ({mediaType})";
        if (body.Length == 0) return $"status {status} is documented with a body ({string.Join(", ", content.Keys)}), but none came";
        if (mediaType is null || !content.TryGetValue(mediaType, out var schema))
            return $"media type {mediaType ?? "(none)"} is not documented for {status} (documented: {string.Join(", ", content.Keys)})";
        if (schema is null) return null;

        JsonElement instance;
        try { instance = JsonDocument.Parse(body).RootElement; }
        catch (JsonException e) { return $"the body is not JSON: {e.Message}"; }
        var results = Compiled(schema).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return null;
        var errors = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})")).Take(5);
        return "the body does not match its schema: " + string.Join("; ", errors);
    }

    /// <summary>Null when the body is a problem document as the document describes it.</summary>
    public string? CheckProblem(string? mediaType, string body)
    {
        if (mediaType != "application/problem+json") return $"media type {mediaType ?? "(none)"}, not application/problem+json";
        var results = Compiled(JsonNode.Parse("""{"$ref":"#/components/schemas/ProblemDetails"}""")!).Evaluate(JsonDocument.Parse(body).RootElement);
        return results.IsValid ? null : "the problem does not match the ProblemDetails schema";
    }

    private JsonSchema Compiled(JsonNode schema)
    {
        var text = schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        if (_schemas.TryGetValue(text, out var compiled)) return compiled;
        var root = JsonNode.Parse(text)!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = JsonNode.Parse(_definitions);
        // A fresh registry per schema: every one carries the same $defs.
        compiled = JsonSchema.Build(JsonDocument.Parse(root.ToJsonString()).RootElement, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        return _schemas[text] = compiled;
    }
}
