using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;
using Commons.Storage;
using LiteDB;

namespace Commons.Node.Tests;

/// <summary>
/// The API side of issue 9 (items 1–3): a schema validation could never finish with, or a grant without a role, is
/// refused as a problem document naming the field; one stored by a former version fails only the request that meets it
/// (a record write, a grant) and never the node or the dataset listing.
/// </summary>
public sealed class SchemaSafetyApiTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private const string Recursive = """{ "type": "object", "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""";
    private const string MutualAllOf = """{ "type": "object", "$defs": { "a": { "allOf": [ { "$ref": "#/$defs/b" } ] }, "b": { "allOf": [ { "$ref": "#/$defs/a" } ] } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""";

    private static JsonObject DatasetBody(string slug, string schema) => new()
    {
        ["slug"] = slug,
        ["title"] = new JsonObject { ["en"] = slug },
        ["schema"] = JsonNode.Parse(schema),
    };

    /// <summary>Writes straight into the node's store, as a former version could have.</summary>
    private void Tamper(string slug, Action<BsonDocument> change)
    {
        var db = node.Service<CommonsDatabase>();
        db.Write(() =>
        {
            var datasets = db.Db.GetCollection("datasets");
            var doc = datasets.FindById(slug);
            change(doc);
            Assert.True(datasets.Update(doc));
        });
    }

    [Theory]
    [InlineData(Recursive, "schema['$defs'].a")]
    [InlineData(MutualAllOf, "schema['$defs'].a")]
    public async Task A_recursive_schema_is_refused_on_create_and_on_change(string schema, string path)
    {
        using var admin = await node.AdminAsync();
        var slug = node.Unique("rec-");
        var problem = await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json(DatasetBody(slug, schema))), path);
        Assert.Contains("recursive", problem.ToJsonString());
        await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{slug}"), 404);

        var existing = await node.CreateDatasetAsync();
        await NodeFactory.ExpectValidation(await admin.PatchAsync($"/api/datasets/{existing}", NodeFactory.Json(new JsonObject { ["schema"] = JsonNode.Parse(schema) })), path);
        await NodeFactory.Expect(await admin.GetAsync("/healthz"), 200);
    }

    [Fact]
    public async Task A_record_that_sets_off_a_catastrophic_pattern_is_refused_in_bounded_time()
    {
        using var admin = await node.AdminAsync();
        var slug = await node.CreateDatasetAsync(schema: JsonNode.Parse("""{ "type": "object", "properties": { "x": { "type": "string", "pattern": "^(a+)+$" } } }"""));
        var evil = new JsonObject { ["data"] = new JsonObject { ["x"] = new string('a', 31) + "!" } };
        var problem = await NodeFactory.ExpectValidation(await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json(evil)), "$.x");
        var message = (string)problem["errors"]![0]!["message"]!;
        Assert.Contains("took longer than", message);
        Assert.Contains("'^(a+)+$'", message);
        Assert.Equal((0L, 0L), await admin.Counts(slug));
        await admin.CreateRecord(slug, """{ "x": "aaaa" }""");
    }

    [Fact]
    public async Task A_number_too_large_to_compare_is_a_validation_problem_on_a_single_and_a_batch_write()
    {
        using var admin = await node.AdminAsync();
        var slug = await node.CreateDatasetAsync(schema: JsonNode.Parse("""{ "type": "object", "properties": { "kind": { "enum": [1, 2] }, "tags": { "type": "array", "uniqueItems": true } } }"""));
        const string big = "79228162514264337593543950336";
        var problem = await NodeFactory.ExpectValidation(
            await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("{ \"data\": { \"kind\": " + big + " } }")), "$.kind");
        Assert.Contains("too large to compare", (string)problem["errors"]![0]!["message"]!);

        using var batch = await admin.PostAsync($"/api/datasets/{slug}/records/batch",
            NodeFactory.Json("{ \"records\": [ { \"data\": { \"kind\": 1 } }, { \"data\": { \"tags\": [1, " + big + "] } } ] }"));
        var refused = await NodeFactory.ExpectProblem(batch, 422);
        var error = Assert.Single(refused["errors"]!.AsArray());
        Assert.Equal((1, "$.records[1].data.tags[1]"), ((int)error!["index"]!, (string)error["path"]!));
        Assert.Equal((0L, 0L), await admin.Counts(slug));
        await admin.CreateRecord(slug, """{ "kind": 2, "tags": [1, 2] }""");
    }

    [Fact]
    public async Task A_stored_recursive_schema_fails_each_record_write_with_a_problem_and_the_node_keeps_serving()
    {
        using var admin = await node.AdminAsync();
        var slug = await node.CreateDatasetAsync();
        Tamper(slug, d => d["schema"] = Recursive);
        for (var i = 0; i < 2; i++)
        {
            var problem = await NodeFactory.ExpectValidation(await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{ "data": { "x": 1 } }""")), "$.x");
            Assert.Contains("without end", (string)problem["errors"]![0]!["message"]!);
        }
        await admin.CreateRecord(slug, """{ "y": 1 }""");
        await NodeFactory.Expect(await admin.GetAsync("/api/datasets"), 200);
    }

    [Theory]
    [InlineData("{}", "role")]
    [InlineData("""{ "role": null }""", "$.role")]
    [InlineData("""{ "role": "owner" }""", "$.role")]
    [InlineData("""{ "role": 3 }""", "$.role")]
    [InlineData("""{ "role": ["viewer"] }""", "$.role")]
    public async Task A_grant_without_a_known_role_is_refused_and_nothing_is_stored(string body, string path)
    {
        using var admin = await node.AdminAsync();
        var member = await node.CreateMemberAsync();
        var slug = await node.CreateDatasetAsync();
        await NodeFactory.ExpectValidation(await admin.PutAsync($"/api/datasets/{slug}/grants/{member}", NodeFactory.Json(body)), path);
        var dataset = await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}"), 200);
        Assert.Empty(dataset["grants"]!.AsArray());
        await NodeFactory.Expect(await admin.GetAsync("/api/datasets"), 200);
    }

    [Fact]
    public async Task A_stored_grant_without_a_role_does_not_break_the_listing()
    {
        using var admin = await node.AdminAsync();
        var member = await node.CreateMemberAsync();
        var steward = await node.CreateMemberAsync();
        var slug = await node.CreateDatasetAsync(grants: [(steward, "steward")]);
        Tamper(slug, d => d["grants"].AsArray.Add(new BsonDocument { ["user"] = member, ["role"] = 0 }));

        var listing = await NodeFactory.Expect(await admin.GetAsync("/api/datasets"), 200);
        var described = listing["items"]!.AsArray().Single(d => (string?)d!["slug"] == slug)!;
        var grant = Assert.Single(described["grants"]!.AsArray())!;
        Assert.Equal((steward, "steward"), ((string?)grant["username"], (string?)grant["role"]));
        await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}"), 200);

        // The member the damaged grant named sees nothing through it.
        using var client = node.Client(await node.AccessTokenAsync(member, NodeFactory.MemberPassword));
        var theirs = await NodeFactory.Expect(await client.GetAsync("/api/datasets"), 200);
        Assert.DoesNotContain(theirs["items"]!.AsArray(), d => (string?)d!["slug"] == slug);
    }
}
