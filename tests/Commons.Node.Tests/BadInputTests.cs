using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>A node with a small record limit, so a record can be too large while its request is not.</summary>
public sealed class SmallRecordNode : NodeFactory
{
    public const int MaxRecordBytes = 4096;
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Commons:Limits:MaxRecordBytes", MaxRecordBytes.ToString())];
}

/// <summary>Each bad request gets a 4xx problem document, the node keeps serving, and nothing is stored.</summary>
public sealed class BadInputTests(SmallRecordNode node) : IClassFixture<SmallRecordNode>
{
    private static readonly JsonNode StrictSchema = JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "name": { "type": "string" },
            "count": { "type": "integer" },
            "active": { "type": "boolean" },
            "note": { "type": "string" },
            "address": { "type": "object", "properties": { "city": { "type": "string" } }, "additionalProperties": false }
          },
          "required": ["name"],
          "additionalProperties": false
        }
        """)!;

    private async Task<(string Slug, HttpClient Admin)> Dataset()
    {
        var slug = await node.CreateDatasetAsync(schema: StrictSchema);
        return (slug, await node.AdminAsync());
    }

    /// <summary>Sends raw bytes to the dataset's records, expects the problem, and checks nothing was stored and the node still answers.</summary>
    private async Task<JsonObject> RejectRecordPost(HttpContent content, int status)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            using var response = await admin.PostAsync($"/api/datasets/{slug}/records", content);
            var problem = await NodeFactory.ExpectProblem(response, status);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), problem.ToJsonString());
            await NothingStoredAndStillServing(admin, slug);
            return problem;
        }
    }

    private static async Task NothingStoredAndStillServing(HttpClient admin, string slug)
    {
        Assert.Equal((0L, 0L), await admin.Counts(slug));
        var page = await admin.GetJson($"/api/datasets/{slug}/records");
        Assert.Empty(page["items"]!.AsArray());
        await NodeFactory.Expect(await admin.GetAsync("/healthz"), 200);
        // And the same dataset still takes a good record.
        await admin.CreateRecord(slug, """{"name":"fine"}""");
    }

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Theory]
    [InlineData("""{"data":{"name":"x",}}""")]
    [InlineData("""{"data":{"name":"x"}""")]
    [InlineData("""{"data":{'name':"x"}}""")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
    {
        var problem = await RejectRecordPost(Bytes(Encoding.UTF8.GetBytes(body)), 400);
        Assert.DoesNotContain("Exception", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task Another_content_type_is_415(string? contentType)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            using var response = await admin.PostAsync($"/api/datasets/{slug}/records", Bytes("""{"data":{"name":"x"}}"""u8.ToArray(), contentType));
            await NodeFactory.ExpectProblem(response, 415);
            await NothingStoredAndStillServing(admin, slug);
        }
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        var big = "{\"data\":{\"name\":\"x\",\"note\":\"" + new string('a', 1024 * 1024 + 10) + "\"}}";
        await RejectRecordPost(Bytes(Encoding.UTF8.GetBytes(big)), 413);
    }

    [Fact]
    public async Task A_chunked_body_over_one_mebibyte_is_413()
    {
        var big = "{\"data\":{\"name\":\"x\",\"note\":\"" + new string('a', 1024 * 1024 + 10) + "\"}}";
        // A stream of unknown length goes out chunked, without Content-Length: the limit must hold while reading.
        var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(big)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await RejectRecordPost(content, 413);
    }

    [Fact]
    public async Task Invalid_utf8_is_400()
    {
        var bytes = "{\"data\":{\"name\":\"ab"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, 0xFF, 0xFE }).Concat("\"}}"u8.ToArray()).ToArray();
        await RejectRecordPost(Bytes(bytes), 400);
    }

    [Fact]
    public async Task Json_nested_10000_deep_is_400()
    {
        var deep = """{"data":{"name":"x","note":""" + new string('[', 10_000) + new string(']', 10_000) + "}}";
        var problem = await RejectRecordPost(Bytes(Encoding.UTF8.GetBytes(deep)), 400);
        Assert.Contains("deeper", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("""{"data":{"name":"x","colour":"red"}}""", "$.colour")]
    [InlineData("""{"data":{"name":"x","address":{"city":"Gent","fax":"02"}}}""", "$.address.fax")]
    [InlineData("""{"data":{"name":"x","count":"three"}}""", "$.count")]
    [InlineData("""{"data":{"count":3}}""", "$.name")]
    public async Task A_field_the_schema_forbids_is_400_naming_it(string body, string path)
    {
        var problem = await RejectRecordPost(Bytes(Encoding.UTF8.GetBytes(body)), 400);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string)e!["path"]! == path);
    }

    [Theory]
    [InlineData("""{"data":{"name":"x"},"bogus":1}""", "bogus")]
    [InlineData("""{"data":{"name":"x"},"shared":"yes"}""", "shared")]
    [InlineData("""{"data":{"name":"x"},"id":42}""", "id")]
    [InlineData("""{"data":{"name":"x"},"id":"not an id!"}""", "id")]
    [InlineData("""[{"data":{"name":"x"}}]""", "$")]
    [InlineData("""null""", "$")]
    [InlineData("""{"data":"just a string"}""", "$")]
    public async Task A_request_field_the_api_does_not_know_or_take_is_400_naming_it(string body, string field)
    {
        var problem = await RejectRecordPost(Bytes(Encoding.UTF8.GetBytes(body)), 400);
        var paths = problem["errors"]!.AsArray().Select(e => (string)e!["path"]!).ToList();
        Assert.True(paths.Any(p => p == field || p == "$." + field), $"expected an error naming '{field}': {problem.ToJsonString()}");
    }

    [Fact]
    public async Task Unknown_fields_in_other_requests_are_400_naming_them()
    {
        using var admin = await node.AdminAsync();
        var slug = node.Unique("ds-");
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json($$$"""{"slug":"{{{slug}}}","title":{"en":"T"},"owner":"me"}""")), "$.owner");
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json($$$"""{"slug":"{{{slug}}}","title":{"en":"T","de":"x"}}""")), "$.title.de");
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json($$$"""{"slug":"{{{slug}}}","title":{"en":"T"},"policy":"everyone"}""")), "$.policy");
        await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{slug}"), 404);
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/tokens", NodeFactory.Json("""{"name":"t","scopes":["read"],"admin":true}""")), "$.admin");
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/auth/login", NodeFactory.Json("""{"username":"admin","password":"x","remember":true}""")), "$.remember");
    }

    [Fact]
    public async Task A_record_over_the_record_limit_is_413_even_inside_the_body_limit()
    {
        var body = $$$"""{"data":{"name":"x","note":"{{{new string('z', SmallRecordNode.MaxRecordBytes)}}}"}}""";
        await RejectRecordPost(Bytes(Encoding.UTF8.GetBytes(body)), 413);

        // An update over the limit changes nothing either.
        var (slug, admin) = await Dataset();
        using (admin)
        {
            await admin.CreateRecord(slug, """{"name":"small"}""", "s");
            using var response = await admin.Send("PUT", $"/api/datasets/{slug}/records/s", body);
            await NodeFactory.ExpectProblem(response, 413);
            var stored = await admin.GetJson($"/api/datasets/{slug}/records/s");
            Assert.Equal(1, (int)stored["revision"]!);
            Assert.Equal("small", (string)stored["data"]!["name"]!);
        }
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=%00%01", "cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("filter.count=three", "filter.count")]
    [InlineData("filter.active=yes", "filter.active")]
    [InlineData("filter.1abc=x", "filter.1abc")]
    [InlineData("filter.a..b=x", "filter.a..b")]
    [InlineData("filter.=x", "filter.")]
    [InlineData("sort=-1abc", "sort")]
    [InlineData("sort=data.$where", "sort")]
    [InlineData("sort=", null)]
    [InlineData("page=2", "page")]
    public async Task Bad_listing_parameters_are_400(string query, string? field)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            await admin.CreateRecord(slug, """{"name":"one","count":1}""");
            using var response = await admin.GetAsync($"/api/datasets/{slug}/records?{query}");
            if (field is null)
            {
                await NodeFactory.Expect(response, 200); // an empty sort is the default order
                return;
            }
            await NodeFactory.ExpectValidation(response, field);
        }
    }

    [Theory]
    [InlineData("after=-1")]
    [InlineData("after=abc")]
    [InlineData("limit=abc")]
    public async Task Bad_changes_parameters_are_400(string query)
    {
        var (slug, admin) = await Dataset();
        using (admin)
            await NodeFactory.ExpectProblem(await admin.GetAsync($"/api/datasets/{slug}/changes?{query}"), 400);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"abc\"")]
    [InlineData("\"0\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"\"")]
    [InlineData("\"1\", \"2\"")]
    public async Task A_bad_if_match_is_400_and_writes_nothing(string ifMatch)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            await admin.CreateRecord(slug, """{"name":"one"}""", "r");
            using var put = await admin.Send("PUT", $"/api/datasets/{slug}/records/r", """{"data":{"name":"two"}}""",
                r => r.Headers.TryAddWithoutValidation("If-Match", ifMatch));
            await NodeFactory.ExpectValidation(put, "If-Match");
            using var delete = await admin.Send("DELETE", $"/api/datasets/{slug}/records/r", configure: r => r.Headers.TryAddWithoutValidation("If-Match", ifMatch));
            await NodeFactory.ExpectValidation(delete, "If-Match");
            Assert.Equal((1L, 1L), await admin.Counts(slug));
            Assert.Equal("one", (string)(await admin.GetJson($"/api/datasets/{slug}/records/r"))["data"]!["name"]!);
        }
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("-dash")]
    [InlineData("under_score")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task A_bad_slug_is_refused_at_creation(string slug)
    {
        using var admin = await node.AdminAsync();
        await NodeFactory.ExpectValidation(await admin.PostAsync("/api/datasets", NodeFactory.Json(new JsonObject { ["slug"] = slug, ["title"] = new JsonObject { ["en"] = "T" } })), "slug");
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("a%20b")]
    [InlineData("%C3%A9cole")]
    [InlineData("..")]
    [InlineData("x%2Fy")]
    public async Task A_bad_slug_in_a_path_is_404(string slug)
    {
        using var admin = await node.AdminAsync();
        using var response = await admin.GetAsync($"/api/datasets/{slug}/records");
        Assert.InRange((int)response.StatusCode, 400, 404);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("é")]
    [InlineData("x/y")]
    public async Task A_bad_record_id_is_400_on_create_and_404_on_read(string id)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            await NodeFactory.ExpectValidation(await admin.PostAsync($"/api/datasets/{slug}/records",
                NodeFactory.Json(new JsonObject { ["id"] = id, ["data"] = new JsonObject { ["name"] = "x" } })), "id");
            var tooLong = new string('a', 65);
            await NodeFactory.ExpectValidation(await admin.PostAsync($"/api/datasets/{slug}/records",
                NodeFactory.Json(new JsonObject { ["id"] = tooLong, ["data"] = new JsonObject { ["name"] = "x" } })), "id");
            using var read = await admin.GetAsync($"/api/datasets/{slug}/records/{Uri.EscapeDataString(id)}");
            await NodeFactory.ExpectProblem(read, 404);
            Assert.Equal((0L, 0L), await admin.Counts(slug));
        }
    }

    [Fact]
    public async Task The_node_keeps_serving_after_a_burst_of_bad_requests()
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            var bad = new Func<Task<HttpResponseMessage>>[]
            {
                () => admin.PostAsync($"/api/datasets/{slug}/records", Bytes("{"u8.ToArray())),
                () => admin.PostAsync($"/api/datasets/{slug}/records", Bytes(new byte[] { 0xFF, 0xFF })),
                () => admin.PostAsync($"/api/datasets/{slug}/records", Bytes("{}"u8.ToArray(), "text/csv")),
                () => admin.PostAsync($"/api/datasets/{slug}/records", Bytes(Encoding.UTF8.GetBytes(new string('[', 5000)))),
                () => admin.GetAsync($"/api/datasets/{slug}/records?limit=-1"),
            };
            var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => bad[i % bad.Length]()));
            Assert.All(responses, r => Assert.InRange((int)r.StatusCode, 400, 499));
            Assert.All(responses, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
            await NothingStoredAndStillServing(admin, slug);
        }
    }

    /// <summary>A read-only stream that does not know its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Problems the framework writes itself (routing, authentication) carry a detail like the node's own.</summary>
public sealed class FrameworkProblemTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Status_code_problems_have_title_status_and_detail()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        using var anonymous = node.Client();
        var responses = new (string What, HttpResponseMessage Response, int Status)[]
        {
            ("415 from endpoint matching", await admin.PostAsync($"/api/datasets/{slug}/records", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain")), 415),
            ("401 from the bearer challenge", await anonymous.GetAsync("/api/me"), 401),
            ("404 for an unknown route", await admin.GetAsync("/api/nothing-here"), 404),
            ("405 for an unknown method", await admin.Send("PATCH", "/api/tokens", "{}"), 405),
        };
        var missing = new List<string>();
        foreach (var (what, response, status) in responses)
        {
            var problem = await NodeFactory.ExpectProblem(response, status);
            if (string.IsNullOrWhiteSpace((string?)problem["detail"])) missing.Add($"{what}: {problem.ToJsonString()}");
            response.Dispose();
        }
        Assert.True(missing.Count == 0, "problems without a detail:\n" + string.Join("\n", missing));
    }
}
