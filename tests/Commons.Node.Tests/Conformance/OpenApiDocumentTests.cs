using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Conformance;

/// <summary>The parts of the OpenAPI document that generated clients depend on, read from a real node.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<NodeFactory>
{
    private readonly NodeFactory _node;
    public OpenApiDocumentTests(NodeFactory node) => _node = node;

    private async Task<JsonObject> DocumentAsync()
    {
        using var client = _node.Client();
        return await NodeFactory.Expect(await client.GetAsync("/openapi/v1.json"), 200);
    }

    private static JsonObject Operation(JsonObject doc, string method, string path) => doc["paths"]![path]![method]!.AsObject();
    private static IEnumerable<string> Statuses(JsonObject op) => op["responses"]!.AsObject().Select(r => r.Key);

    [Fact]
    public async Task Every_authenticated_operation_names_both_bearer_schemes_and_answers_401_as_a_problem_and_403_where_it_can_refuse()
    {
        var doc = await DocumentAsync();
        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("JWT", (string?)schemes["bearer"]!["bearerFormat"]);
        Assert.Equal("bearer", (string?)schemes["accessToken"]!["scheme"]);
        var api = doc["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal) && !p.Key.StartsWith("/api/auth/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(m => (Name: $"{m.Key} {p.Key}", Op: m.Value!.AsObject()))).ToList();
        Assert.True(api.Count >= 40);
        foreach (var (name, op) in api)
        {
            var security = op["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
            Assert.True(security.Contains("bearer") && security.Contains("accessToken"), $"{name}: security [{string.Join(", ", security)}]");
            Assert.True(op["responses"]!["401"]?["content"]?["application/problem+json"] is not null, $"{name} does not document 401 as a problem");
        }
        // 403 where a role, grant or scope can refuse; reads of what the caller may see hide with 404 instead.
        Assert.NotNull(Operation(doc, "get", "/api/members")["responses"]!["403"]?["content"]?["application/problem+json"]);
        Assert.NotNull(Operation(doc, "put", "/api/datasets/{slug}/records/{id}")["responses"]!["403"]);
        Assert.Null(Operation(doc, "get", "/api/me")["responses"]!["403"]);
        Assert.Null(Operation(doc, "get", "/api/datasets/{slug}/records/{id}")["responses"]!["403"]);
        Assert.Null(Operation(doc, "post", "/api/auth/login")["security"]);
    }

    [Fact]
    public async Task Every_operation_id_is_a_plain_identifier_unique_in_the_document()
    {
        var doc = await DocumentAsync();
        var ids = doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (string?)o.Value!["operationId"])).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z0-9]*$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("getEmployersMonthsByMonthStatementsByMemberXml",
            Commons.Node.Hosting.OpenApi.OperationResponses.OperationId("GET", "api/employers/months/{month}/statements/{member}.xml"));
    }

    [Fact]
    public async Task Created_and_no_content_answers_are_documented_as_201_and_204()
    {
        var doc = await DocumentAsync();
        Assert.Contains("201", Statuses(Operation(doc, "post", "/api/members")));
        Assert.NotNull(Operation(doc, "post", "/api/members")["responses"]!["201"]!["content"]);
        foreach (var (method, path) in new[] { ("delete", "/api/datasets/{slug}"), ("delete", "/api/datasets/{slug}/records/{id}"), ("delete", "/api/tokens/{id}"), ("post", "/api/datasets/{slug}/followers/remove") })
        {
            Assert.Contains("204", Statuses(Operation(doc, method, path)));
            Assert.DoesNotContain("200", Statuses(Operation(doc, method, path)));
        }
        var record = Operation(doc, "put", "/api/datasets/{slug}/records/{id}");
        Assert.Contains("412", Statuses(record));
        Assert.Contains(record["parameters"]!.AsArray(), p => (string?)p!["name"] == "If-Match" && (string?)p["in"] == "header");
    }

    [Fact]
    public async Task The_record_listing_documents_its_query_parameters()
    {
        var doc = await DocumentAsync();
        var parameters = Operation(doc, "get", "/api/datasets/{slug}/records")["parameters"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => p!);
        foreach (var name in new[] { "q", "sort", "limit", "cursor", "filter" }) Assert.True(parameters.ContainsKey(name), name);
        Assert.Equal(1, (int)parameters["limit"]["schema"]!["minimum"]!);
        Assert.Equal(500, (int)parameters["limit"]["schema"]!["maximum"]!);
        // form and explode are the defaults for a query parameter, which the writer leaves out: filter.city=Gent&filter.n=2.
        Assert.True((string?)parameters["filter"]["style"] is null or "form");
        Assert.True((bool?)parameters["filter"]["explode"] is null or true);
        Assert.StartsWith("^filter\\.", (string?)parameters["filter"]["schema"]!["propertyNames"]!["pattern"]);
    }

    [Fact]
    public async Task The_problem_schema_allows_what_the_node_sends_and_nullable_request_fields_are_optional()
    {
        var doc = await DocumentAsync();
        var schemas = doc["components"]!["schemas"]!;
        var problem = schemas["ProblemDetails"]!["properties"]!.AsObject();
        foreach (var name in new[] { "type", "title", "status", "detail", "instance", "traceId", "errors", "currentRevision", "code" })
            Assert.True(problem.ContainsKey(name), name);
        Assert.Equal(["username"], schemas["MemberCreateRequest"]!["required"]!.AsArray().Select(r => (string)r!));
        Assert.Null(schemas["DatasetRequest"]!["required"]);
        Assert.Equal(["member", "admin"], schemas["MemberRole"]!["enum"]!.AsArray().Select(r => (string)r!));
    }

    [Theory]
    [InlineData("Admin")]
    [InlineData("ADMIN")]
    [InlineData("1")]
    public async Task Enums_are_read_only_in_their_documented_casing(string role)
    {
        using var admin = await _node.AdminAsync();
        var body = new JsonObject { ["username"] = _node.Unique("enum"), ["password"] = NodeFactory.MemberPassword, ["role"] = role == "1" ? 1 : role };
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/members", NodeFactory.Json(body)), "$.role");
        body["role"] = "admin";
        await NodeFactory.Expect(await admin.PostAsync("/api/members", NodeFactory.Json(body)), 201);
    }
}
