using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// Bodies System.Text.Json reads but the node must refuse, each a 400 problem with its own code, on the API and on the
/// (unauthenticated) inbox: lone UTF-16 surrogates, invalid UTF-8, duplicate keys at any depth, truncated JSON.
/// </summary>
public sealed class StrictBodyTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(string Slug, HttpClient Admin)> Dataset()
    {
        var slug = await node.CreateDatasetAsync();
        return (slug, await node.AdminAsync());
    }

    [Theory]
    [InlineData("""{"data":{"name":"\ud800"}}""", "$.data.name")]
    [InlineData("""{"data":{"name":"ok","list":["a","x\udc00y"]}}""", "$.data.list[1]")]
    [InlineData("""{"data":{"\ud800":"value"}}""", "$.data")]
    [InlineData("""{"data":{"name":"\ude00\ud83d"}}""", "$.data.name")]
    public async Task A_lone_surrogate_in_a_record_value_or_key_is_400_naming_the_path(string body, string path)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            var problem = await NodeFactory.ExpectValidation(await admin.PostAsync($"/api/datasets/{slug}/records", Raw(body)), path);
            Assert.Equal("invalid_unicode", (string)problem["code"]!);
            Assert.Equal((0L, 0L), await admin.Counts(slug));
        }
    }

    [Fact]
    public async Task A_surrogate_pair_is_text_and_is_stored()
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            var created = await NodeFactory.Expect(await admin.PostAsync($"/api/datasets/{slug}/records", Raw("""{"data":{"name":"\ud83d\ude00"}}""")), 201);
            Assert.Equal("\U0001F600", (string)created["data"]!["name"]!);
        }
    }

    [Fact]
    public async Task A_login_naming_the_username_twice_is_400_not_a_sign_in_as_the_second()
    {
        using var client = node.Client();
        var body = $$"""{"username":"nobody","username":"admin","password":"{{NodeFactory.AdminPassword}}"}""";
        var problem = await NodeFactory.ExpectProblem(await client.PostAsync("/api/auth/login", Raw(body)), 400);
        Assert.Equal("duplicate_key", (string)problem["code"]!);
    }

    [Theory]
    [InlineData("""{"data":{"name":"a","name":"b"}}""")]
    [InlineData("""{"data":{"name":"a","address":{"city":"x","city":"y"}}}""")]
    [InlineData("""{"data":{"name":"a","list":[{"k":1,"k":2}]}}""")]
    [InlineData("""{"data":{"name":"a"},"data":{"name":"b"}}""")]
    public async Task Duplicate_keys_at_any_depth_are_400(string body)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            var problem = await NodeFactory.ExpectProblem(await admin.PostAsync($"/api/datasets/{slug}/records", Raw(body)), 400);
            Assert.Equal("duplicate_key", (string)problem["code"]!);
            Assert.Equal((0L, 0L), await admin.Counts(slug));
        }
    }

    [Theory]
    [InlineData("""{"data":{"name":"x""")]
    [InlineData("""{"data":{"name":"x"}""")]
    [InlineData("""{"data":[1,2,""")]
    [InlineData("""{"da""")]
    public async Task A_truncated_body_says_it_ends_early_not_that_it_is_too_deep(string body)
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            var problem = await NodeFactory.ExpectProblem(await admin.PostAsync($"/api/datasets/{slug}/records", Raw(body)), 400);
            Assert.Equal("malformed_json", (string)problem["code"]!);
            Assert.Contains("ends before", (string)problem["detail"]!);
            Assert.DoesNotContain("deeper", (string)problem["detail"]!);
        }
    }

    [Fact]
    public async Task Nesting_beyond_the_limit_is_still_called_too_deep()
    {
        var (slug, admin) = await Dataset();
        using (admin)
        {
            var body = "{\"data\":{\"name\":\"x\",\"n\":" + new string('[', 40) + new string(']', 40) + "}}";
            var problem = await NodeFactory.ExpectProblem(await admin.PostAsync($"/api/datasets/{slug}/records", Raw(body)), 400);
            Assert.Equal("json_too_deep", (string)problem["code"]!);
            Assert.Contains("deeper than 32", (string)problem["detail"]!);
        }
    }

    public static TheoryData<string, byte[], string> InboxBodies() => new()
    {
        { "lone surrogate in the id", """{"type":"Create","id":"https://peer.example/\ud800","actor":"https://peer.example/actor"}"""u8.ToArray(), "invalid_unicode" },
        { "lone surrogate in a name", """{"type":"Create","\udfff":1}"""u8.ToArray(), "invalid_unicode" },
        { "invalid UTF-8", "{\"type\":\"Create\",\"id\":\"ab"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat("\"}"u8.ToArray()).ToArray(), "invalid_unicode" },
        { "duplicate actor", """{"type":"Create","actor":"https://a.example/x","actor":"https://b.example/y"}"""u8.ToArray(), "duplicate_key" },
        { "truncated", """{"type":"Create","id":"""u8.ToArray(), "malformed_json" },
    };

    [Theory]
    [MemberData(nameof(InboxBodies))]
    public async Task An_unauthenticated_inbox_post_of_a_bad_body_is_400(string what, byte[] body, string code)
    {
        using var client = node.Client();
        foreach (var inbox in new[] { "/inbox", "/actor/inbox" })
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/activity+json");
            var problem = await NodeFactory.ExpectProblem(await client.PostAsync(inbox, content), 400);
            Assert.True(code == (string?)problem["code"], $"{what} on {inbox}: {problem.ToJsonString()}");
        }
        await NodeFactory.Expect(await client.GetAsync("/healthz"), 200);
    }

    [Fact]
    public async Task An_inbox_activity_that_is_not_one_is_400_not_an_activity()
    {
        using var client = node.Client();
        var problem = await NodeFactory.ExpectProblem(await client.PostAsync("/inbox", Raw("[1,2,3]")), 400);
        Assert.Equal("not_an_activity", (string)problem["code"]!);
    }
}
