using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// <c>POST /api/datasets/{slug}/records/batch</c> over real HTTP: all or nothing, every failing record in the problem by
/// index and path, the count and byte caps (413), the nesting limit, and a retried batch with ids.
/// </summary>
public sealed class RecordBatchApiTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1},"count":{"type":"integer"},"deep":{"type":"object"}}}
        """)!;

    private static string Batch(int count, Func<int, string>? entry = null) =>
        "{\"records\":[" + string.Join(',', Enumerable.Range(0, count).Select(i => entry?.Invoke(i) ?? $$$"""{"data":{"name":"r{{{i}}}","count":{{{i}}}}}""")) + "]}";

    private static Task<HttpResponseMessage> Post(HttpClient client, string slug, string body) =>
        client.PostAsync($"/api/datasets/{slug}/records/batch", NodeFactory.Json(body));

    [Fact]
    public async Task A_thousand_records_are_created_at_once_with_a_change_each()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        using var response = await Post(admin, slug, Batch(1_000));
        var body = await NodeFactory.Expect(response, 200);
        Assert.Equal((1_000, 0), ((int)body["created"]!, (int)body["unchanged"]!));
        var records = body["records"]!.AsArray();
        Assert.Equal(1_000, records.Count);
        Assert.All(records, r => Assert.True((bool)r!["created"]! && (long)r["revision"]! == 1));
        Assert.Equal((1_000L, 1_000L), await admin.Counts(slug));
        Assert.Equal("r999", (string)(await admin.GetJson($"/api/datasets/{slug}/records/{(string)records[999]!["id"]!}"))["data"]!["name"]!);
    }

    [Fact]
    public async Task A_batch_with_failing_records_is_422_listing_each_by_index_path_and_code_and_stores_nothing()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"name":"taken"}""", "taken");
        using var response = await Post(admin, slug, Batch(500, i => i switch
        {
            3 => """{"data":{"count":1}}""",
            77 => """{"id":"taken","data":{"name":"other"}}""",
            120 => """{"id":"twice","data":{"name":"a"}}""",
            121 => """{"id":"twice","data":{"name":"b"}}""",
            200 => """{"data":{"name":"x"},"colour":"red"}""",
            450 => """{"data":{"name":"deep","count":"many"}}""",
            499 => "42",
            _ => $$$"""{"data":{"name":"r{{{i}}}"}}""",
        }));
        var problem = await NodeFactory.ExpectProblem(response, 422);
        Assert.Equal("batch_refused", (string)problem["code"]!);
        var errors = problem["errors"]!.AsArray().Select(e => ((int)e!["index"]!, (string)e["path"]!, (string)e["code"]!)).ToList();
        Assert.Equal([
            (3, "$.records[3].data.name", "validation_failed"),
            (77, "$.records[77].id", "conflict"),
            (121, "$.records[121].id", "duplicate_id"),
            (200, "$.records[200].colour", "validation_failed"),
            (450, "$.records[450].data.count", "validation_failed"),
            (499, "$.records[499]", "validation_failed"),
        ], errors);
        Assert.All(problem["errors"]!.AsArray(), e => Assert.False(string.IsNullOrWhiteSpace((string?)e!["detail"])));
        Assert.Equal((1L, 1L), await admin.Counts(slug));
    }

    [Fact]
    public async Task More_than_a_thousand_records_is_413_batch_too_large()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        using var response = await Post(admin, slug, Batch(1_001));
        Assert.Equal("batch_too_large", (string)(await NodeFactory.ExpectProblem(response, 413))["code"]!);
        Assert.Equal((0L, 0L), await admin.Counts(slug));
    }

    [Fact]
    public async Task A_ten_mebibyte_body_is_413_and_a_batch_over_the_single_body_limit_is_accepted()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        var filler = new string('é', 5_300);
        // Expect: 100-continue, as a careful client sends a large body: the node answers from the headers without reading it.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{slug}/records/batch")
        {
            Content = NodeFactory.Json(Batch(1_000, i => $$$"""{"data":{"name":"{{{filler}}}"}}""")),
        };
        request.Headers.ExpectContinue = true;
        Assert.True(request.Content.Headers.ContentLength > 10 * 1024 * 1024);
        using var huge = await admin.SendAsync(request);
        Assert.Equal("payload_too_large", (string)(await NodeFactory.ExpectProblem(huge, 413))["code"]!);

        // 1,000 records of ~2 KiB: twice the node's usual 1 MiB body limit, inside the batch's own cap.
        var text = new string('a', 2_000);
        using var big = await Post(admin, slug, Batch(1_000, i => $$$"""{"data":{"name":"{{{text}}}"}}"""));
        await NodeFactory.Expect(big, 200);
    }

    [Fact]
    public async Task A_record_nested_as_deep_as_a_single_create_allows_passes_and_one_level_deeper_is_json_too_deep()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        // A single create's body {"data":{...}} may nest 32 levels below its root: 31 objects inside "deep" are one too many.
        static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels);
        var fits = $$$"""{"data":{"name":"n","deep":{{{Nested(30)}}}}}""";
        using (var single = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json(fits))) await NodeFactory.Expect(single, 201);
        using (var batch = await Post(admin, slug, $"{{\"records\":[{fits}]}}")) await NodeFactory.Expect(batch, 200);

        var deeper = $$$"""{"data":{"name":"n","deep":{{{Nested(31)}}}}}""";
        using (var single = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json(deeper))) Assert.Equal("json_too_deep", (string)(await NodeFactory.ExpectProblem(single, 400))["code"]!);
        using (var batch = await Post(admin, slug, $"{{\"records\":[{deeper}]}}")) Assert.Equal("json_too_deep", (string)(await NodeFactory.ExpectProblem(batch, 400))["code"]!);
    }

    [Fact]
    public async Task A_retried_batch_with_ids_creates_nothing_twice()
    {
        var slug = await node.CreateDatasetAsync(schema: Schema);
        using var admin = await node.AdminAsync();
        var body = Batch(20, i => $$$"""{"id":"k{{{i}}}","data":{"name":"r{{{i}}}"}}""");
        using (var first = await Post(admin, slug, body)) await NodeFactory.Expect(first, 200);
        using var retry = await Post(admin, slug, body);
        var again = await NodeFactory.Expect(retry, 200);
        Assert.Equal((0, 20), ((int)again["created"]!, (int)again["unchanged"]!));
        Assert.Equal((20L, 20L), await admin.Counts(slug));
    }

    [Fact]
    public async Task A_reader_gets_403_and_a_malformed_envelope_is_400()
    {
        var slug = await node.CreateDatasetAsync(policy: "public", schema: Schema);
        var member = await node.CreateMemberAsync();
        using var reader = node.Client(await node.AccessTokenAsync(member, NodeFactory.MemberPassword));
        using (var refused = await Post(reader, slug, Batch(2))) await NodeFactory.ExpectProblem(refused, 403);
        using var admin = await node.AdminAsync();
        using (var notObject = await Post(admin, slug, "[]")) await NodeFactory.ExpectValidation(notObject, "$");
        using (var noRecords = await Post(admin, slug, """{"items":[]}""")) await NodeFactory.ExpectValidation(noRecords, "$.items");
        using (var empty = await Post(admin, slug, """{"records":[]}""")) await NodeFactory.ExpectValidation(empty, "$.records");
        Assert.Equal((0L, 0L), await admin.Counts(slug));
    }
}
