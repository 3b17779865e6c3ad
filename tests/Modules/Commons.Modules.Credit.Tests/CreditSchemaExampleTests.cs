using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>
/// The schemas' example documents (spec/schemas/examples): every good one is stored through a real write, every bad
/// one refused with the code it names — the schema's or a rule's — and nothing of it stored. Ledger examples go to A's
/// ledger of group "sel".
/// </summary>
public sealed class CreditSchemaExampleTests
{
    [Fact]
    public void Each_kinds_schema_is_published_under_spec_schemas_as_the_module_embeds_it()
    {
        foreach (var kind in new CreditModule().Kinds)
        {
            var name = $"{kind.Name}.v{kind.SchemaVersion}.json";
            var published = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "spec", "schemas", name)));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(kind.Schema), published), $"spec/schemas/{name} differs from the module's");
        }
    }

    [Theory]
    [InlineData(GroupKind.KindName)]
    [InlineData(LedgerKind.KindName)]
    public void Every_good_example_is_stored(string kind)
    {
        using var node = new CreditNode().WithGroup();
        var good = Examples($"{kind}.v1.good.json");
        Assert.NotEmpty(good);
        var i = 0;
        foreach (var example in good) node.Records.Create(Admin, Dataset(kind), Id(example, i++), example);
        Assert.Equal(good.Count + (kind == GroupKind.KindName ? 1 : 0), node.Count(Dataset(kind)));
    }

    [Theory]
    [InlineData(GroupKind.KindName)]
    [InlineData(LedgerKind.KindName)]
    public void Every_bad_example_is_refused_with_its_code_and_nothing_stored(string kind)
    {
        using var node = new CreditNode().WithGroup();
        var bad = Examples($"{kind}.v1.bad.json");
        Assert.NotEmpty(bad);
        var i = 0;
        foreach (var example in bad)
        {
            var why = example.GetProperty("why").GetString();
            var data = example.GetProperty("data");
            var e = Assert.ThrowsAny<CommonsException>(() => node.Records.Create(Admin, Dataset(kind), Id(data, i++), data));
            Assert.True(example.GetProperty("code").GetString() == e.Code, $"{why}: {e.Code} ({e.Detail})");
        }
        Assert.Equal(kind == GroupKind.KindName ? 1 : 0, node.Count(Dataset(kind)));
        Assert.Equal(AccountState.Empty, node.Account("ledger-a"));
    }

    private static string Dataset(string kind) => kind == GroupKind.KindName ? "groups" : "ledger-a";

    private static string Id(JsonElement data, int i) => data.TryGetProperty("id", out var id) ? id.GetString()! : $"group-{i}";

    private static List<JsonElement> Examples(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "spec", "schemas", "examples", file)));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    internal static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
