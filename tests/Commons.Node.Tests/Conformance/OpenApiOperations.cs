using System.Text.Json.Nodes;

namespace Commons.Node.Tests.Conformance;

public sealed record OpenApiParameter(string Name, string In, bool Required, JsonNode Schema);

public sealed record OpenApiOperation(
    string Method, string Path, IReadOnlyList<OpenApiParameter> Parameters, JsonNode? BodySchema, bool BodyRequired,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonNode?>> Responses, bool Secured,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ResponseHeaders)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The operations of an OpenAPI 3.1 document as plain data, and its component schemas by name.</summary>
public sealed class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public JsonObject Document { get; }
    public IReadOnlyList<OpenApiOperation> Operations { get; }

    public OpenApiOperations(JsonObject document)
    {
        Document = document;
        var operations = new List<OpenApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var method in Methods)
                if (item![method] is JsonObject op) operations.Add(Read(method.ToUpperInvariant(), path, op));
        Operations = operations;
    }

    /// <summary>Follows $ref (to #/components/schemas/…) until a schema with content.</summary>
    public JsonNode Resolve(JsonNode schema)
    {
        while (schema is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference)
            schema = Document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!;
        return schema;
    }

    private static OpenApiOperation Read(string method, string path, JsonObject op)
    {
        var parameters = (op["parameters"]?.AsArray() ?? []).Select(p => new OpenApiParameter(
            (string)p!["name"]!, (string)p["in"]!, (bool?)p["required"] ?? false, p["schema"] ?? new JsonObject())).ToList();
        var body = op["requestBody"]?["content"]?["application/json"]?["schema"];
        var responses = op["responses"]!.AsObject().ToDictionary(
            r => r.Key,
            r => (IReadOnlyDictionary<string, JsonNode?>)(r.Value!["content"]?.AsObject().ToDictionary(c => c.Key, c => c.Value?["schema"]) ?? new Dictionary<string, JsonNode?>()));
        var headers = op["responses"]!.AsObject().ToDictionary(
            r => r.Key, r => (IReadOnlyList<string>)(r.Value!["headers"]?.AsObject().Select(h => h.Key).ToList() ?? []));
        return new OpenApiOperation(method, path, parameters, body, (bool?)op["requestBody"]?["required"] ?? false, responses,
            op["security"] is JsonArray { Count: > 0 }, headers);
    }
}
