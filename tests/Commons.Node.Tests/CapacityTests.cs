using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>How many datasets one node holds. Each dataset's records and changes live in LiteDB collections of their own.</summary>
public sealed class CapacityTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task A_node_holds_a_thousand_datasets_each_with_records()
    {
        using var admin = await node.AdminAsync();
        for (var i = 0; i < 1000; i++)
        {
            var slug = $"cap-{i}";
            using var created = await admin.PostAsync("/api/datasets", NodeFactory.Json($$$"""{"slug":"{{{slug}}}","title":{"en":"Capacity {{{i}}}"}}"""));
            Assert.True(created.IsSuccessStatusCode, $"dataset {i}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            using var record = await admin.PostAsync($"/api/datasets/{slug}/records", NodeFactory.Json("""{"data":{"n":1}}"""));
            Assert.True(record.IsSuccessStatusCode, $"first record of dataset {i}: {(int)record.StatusCode} {await record.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(1000, (await admin.GetJson("/api/datasets"))["items"]!.AsArray().Count);
    }
}
