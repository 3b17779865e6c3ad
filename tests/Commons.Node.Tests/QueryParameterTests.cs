using System.Text;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>Page sizes and cursors from the query string: anything but a valid value is a 400 naming the parameter, never a 200 or a 500.</summary>
public sealed class QueryParameterTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    public static TheoryData<string> BadLimits() => ["0", "-5", "501", "100000", "abc", "1.5", "2147483648"];

    [Theory]
    [MemberData(nameof(BadLimits))]
    public async Task A_bad_limit_on_records_or_changes_is_400(string limit)
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        foreach (var path in new[] { $"/api/datasets/{slug}/records?limit={limit}", $"/api/datasets/{slug}/changes?limit={limit}" })
        {
            var problem = await NodeFactory.ExpectProblem(await admin.GetAsync(path), 400);
            Assert.Contains("limit", problem.ToJsonString());
        }
    }

    [Theory]
    [InlineData("/api/datasets/{slug}/changes?after=abc", "Nullable<long> after", "abc")]
    [InlineData("/api/datasets/{slug}/changes?limit=", "Nullable<int> limit", "")]
    [InlineData("/api/tokens?all=maybe", "Nullable<bool> all", "maybe")]
    [InlineData("/api/admin/deliveries?dead=1", "Nullable<bool> dead", "1")]
    [InlineData("/api/exchanges?limit=1.5", "Nullable<int> limit", "1.5")]
    [InlineData("/api/subscriptions/anything/records?limit=x", "Nullable<int> limit", "x")]
    [InlineData("/datasets/{slug}/outbox?page=1&page=2", "Nullable<long> page", "1,2")]
    [InlineData("/datasets/{slug}/outbox?page=0&limit=2147483648", "Nullable<int> limit", "2147483648")]
    public async Task An_optional_number_or_true_false_query_value_that_does_not_parse_is_a_problem_naming_the_parameter(string path, string parameter, string value)
    {
        // Checked by Http/QueryValueCheck.cs: the generated request delegates would answer a bare 400.
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        var problem = await NodeFactory.ExpectProblem(await admin.GetAsync(path.Replace("{slug}", slug)), 400);
        Assert.Equal($"Failed to bind parameter \"{parameter}\" from \"{value}\".", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("501")]
    public async Task A_limit_out_of_range_on_changes_names_the_parameter(string limit)
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        var problem = await NodeFactory.ExpectValidation(await admin.GetAsync($"/api/datasets/{slug}/changes?limit={limit}"), "limit");
        Assert.Equal("invalid_parameter", (string)problem["code"]!);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("501")]
    public async Task A_limit_out_of_range_on_a_replica_listing_is_400(string limit)
    {
        using var admin = await node.AdminAsync();
        await NodeFactory.ExpectValidation(await admin.GetAsync($"/api/subscriptions/anything/records?limit={limit}"), "limit");
    }

    [Fact]
    public async Task The_limits_at_the_edges_are_accepted()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        await admin.CreateRecord(slug, """{"name":"one"}""");
        foreach (var limit in new[] { "1", "500" })
        {
            await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}/records?limit={limit}"), 200);
            await NodeFactory.Expect(await admin.GetAsync($"/api/datasets/{slug}/changes?limit={limit}"), 200);
        }
    }

    [Theory]
    [InlineData("____fwAAAAAAAAAA")]
    [InlineData("AAAAAA")]
    [InlineData("!!!!")]
    public async Task A_crafted_cursor_is_400_invalid_cursor(string cursor)
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        var problem = await NodeFactory.ExpectValidation(await admin.GetAsync($"/api/datasets/{slug}/records?cursor={Uri.EscapeDataString(cursor)}"), "cursor");
        Assert.Equal("invalid_cursor", (string)problem["code"]!);
    }

    [Fact]
    public async Task Every_one_byte_change_of_a_real_cursor_is_a_page_or_400()
    {
        var slug = await node.CreateDatasetAsync();
        using var admin = await node.AdminAsync();
        for (var i = 0; i < 3; i++) await admin.CreateRecord(slug, $$"""{"name":"r{{i}}"}""");
        var cursor = (string)(await admin.GetJson($"/api/datasets/{slug}/records?limit=1&sort=-createdAt"))["next"]!;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var random = new Random(9);
        for (var n = 0; n < 60; n++)
        {
            var chars = cursor.ToCharArray();
            chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            using var response = await admin.GetAsync($"/api/datasets/{slug}/records?limit=1&sort=-createdAt&cursor={new string(chars)}");
            if ((int)response.StatusCode != 200) await NodeFactory.ExpectValidation(response, "cursor");
        }
    }
}
