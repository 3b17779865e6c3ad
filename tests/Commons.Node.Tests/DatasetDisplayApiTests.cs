using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// A dataset's display choices over the API: the field that names each record (<c>titleField</c>) and the table's columns
/// (<c>columns</c>), set on create and on change, checked against the schema, cleared with "" and [].
/// </summary>
public sealed class DatasetDisplayApiTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":80},
          "email":{"type":"string","format":"email"},
          "commune":{"type":"string"},
          "seats":{"type":"integer"},
          "kind":{"type":"string","enum":["room","hall"]}}}
        """)!;

    private JsonObject Body(string slug) => new()
    {
        ["slug"] = slug,
        ["title"] = new JsonObject { ["en"] = slug },
        ["schema"] = Schema.DeepClone(),
    };

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    [Fact]
    public async Task Choices_are_kept_on_create_shown_back_and_changed_or_cleared_on_patch()
    {
        using var admin = await node.AdminAsync();
        var slug = node.Unique("disp-");
        var body = Body(slug);
        body["titleField"] = "commune";
        body["columns"] = Strings("seats", "name", "email");
        var created = await NodeFactory.Expect(await admin.PostAsync("/api/datasets", NodeFactory.Json(body)), 201);
        Assert.Equal("commune", (string?)created["titleField"]);
        Assert.Equal(["seats", "name", "email"], created["columns"]!.AsArray().Select(c => (string?)c));

        var read = await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}"), 200);
        Assert.Equal("commune", (string?)read["titleField"]);
        Assert.Equal(3, read["columns"]!.AsArray().Count);

        // Left out: unchanged.
        var renamed = await NodeFactory.Expect(await admin.PatchAsync($"/api/datasets/{slug}", NodeFactory.Json(new JsonObject { ["license"] = "CC0-1.0" })), 200);
        Assert.Equal("commune", (string?)renamed["titleField"]);
        Assert.Equal(["seats", "name", "email"], renamed["columns"]!.AsArray().Select(c => (string?)c));

        var changed = await NodeFactory.Expect(await admin.PatchAsync($"/api/datasets/{slug}",
            NodeFactory.Json(new JsonObject { ["titleField"] = "name", ["columns"] = Strings("kind") })), 200);
        Assert.Equal("name", (string?)changed["titleField"]);
        Assert.Equal(["kind"], changed["columns"]!.AsArray().Select(c => (string?)c));

        var cleared = await NodeFactory.Expect(await admin.PatchAsync($"/api/datasets/{slug}",
            NodeFactory.Json(new JsonObject { ["titleField"] = "", ["columns"] = new JsonArray() })), 200);
        Assert.Null((string?)cleared["titleField"]);
        Assert.Empty(cleared["columns"]!.AsArray());
    }

    [Fact]
    public async Task A_dataset_made_without_choices_says_so()
    {
        using var admin = await node.AdminAsync();
        var slug = await node.CreateDatasetAsync(schema: Schema);
        var read = await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}"), 200);
        Assert.True(read.ContainsKey("titleField"));
        Assert.Null((string?)read["titleField"]);
        Assert.Empty(read["columns"]!.AsArray());
    }

    [Theory]
    [InlineData("\"seats\"", "titleField")] // not text
    [InlineData("\"kind\"", "titleField")] // a list of choices, not a name
    [InlineData("\"nope\"", "titleField")]
    [InlineData("\"a.b\"", "titleField")]
    public async Task A_title_field_that_cannot_name_records_is_refused(string value, string path)
    {
        using var admin = await node.AdminAsync();
        var slug = node.Unique("disp-");
        var body = Body(slug);
        body["titleField"] = JsonNode.Parse(value);
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json(body)), path);
        await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{slug}"), 404);

        var existing = await node.CreateDatasetAsync(schema: Schema);
        await NodeFactory.ExpectValidation(await admin.PatchAsync($"/api/datasets/{existing}",
            NodeFactory.Json(new JsonObject { ["titleField"] = JsonNode.Parse(value) })), path);
    }

    [Theory]
    [InlineData("""["name","nope"]""", "columns[1]")]
    [InlineData("""["seats","seats"]""", "columns[1]")]
    [InlineData("""[""]""", "columns[0]")]
    public async Task Columns_the_schema_does_not_have_are_refused_by_position(string value, string path)
    {
        using var admin = await node.AdminAsync();
        var existing = await node.CreateDatasetAsync(schema: Schema);
        await NodeFactory.ExpectValidation(await admin.PatchAsync($"/api/datasets/{existing}",
            NodeFactory.Json(new JsonObject { ["columns"] = JsonNode.Parse(value) })), path);
        var slug = node.Unique("disp-");
        var body = Body(slug);
        body["columns"] = JsonNode.Parse(value);
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json(body)), path);
    }

    [Fact]
    public async Task Fifty_one_columns_are_too_many_and_wrong_types_are_refused()
    {
        using var admin = await node.AdminAsync();
        var existing = await node.CreateDatasetAsync(schema: Schema);
        var many = new JsonArray(Enumerable.Range(0, 51).Select(_ => (JsonNode?)JsonValue.Create("name")).ToArray());
        await NodeFactory.ExpectValidation(await admin.PatchAsync($"/api/datasets/{existing}", NodeFactory.Json(new JsonObject { ["columns"] = many })), "columns");
        await NodeFactory.ExpectProblem(await admin.PatchAsync($"/api/datasets/{existing}", NodeFactory.Json("""{"columns":"name"}""")), 400);
        await NodeFactory.ExpectProblem(await admin.PatchAsync($"/api/datasets/{existing}", NodeFactory.Json("""{"titleField":3}""")), 400);
    }

    [Fact]
    public async Task Only_stewards_choose()
    {
        var editor = await node.CreateMemberAsync();
        var slug = await node.CreateDatasetAsync(schema: Schema, grants: [(editor, "editor")]);
        using var client = node.Client(await node.AccessTokenAsync(editor, NodeFactory.MemberPassword));
        var refused = await client.PatchAsync($"/api/datasets/{slug}", NodeFactory.Json(new JsonObject { ["titleField"] = "commune" }));
        Assert.True((int)refused.StatusCode is 403 or 404, refused.StatusCode.ToString());
        using var admin = await node.AdminAsync();
        Assert.Null((string?)(await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}"), 200))["titleField"]);
    }
}
