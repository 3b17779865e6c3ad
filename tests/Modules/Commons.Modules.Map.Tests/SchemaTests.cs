using System.Text.Json;
using Commons.Core.Errors;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The kinds' schemas as published under spec/schemas, and their example documents (spec/schemas/examples): every good
/// one is stored through a real write, every bad one is refused with the code it names — the schema's or a rule's.
/// </summary>
public sealed class SchemaTests : IDisposable
{
    private readonly MapNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Each_kinds_schema_is_published_under_spec_schemas_with_its_id_at_its_stable_path()
    {
        foreach (var kind in new MapModule().Kinds)
        {
            var name = $"{kind.Name}.v{kind.SchemaVersion}.json";
            var published = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "spec", "schemas", name)));
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(kind.Schema), published), $"spec/schemas/{name} differs from the module's");
            Assert.Equal($"/schemas/{name}", (string?)published!["$id"]);
        }
    }

    [Theory]
    [InlineData(ProfileKind.KindName)]
    [InlineData(OffersKind.KindName)]
    public void Every_good_example_is_stored(string kind)
    {
        var good = Examples($"{kind}.v1.good.json");
        Assert.NotEmpty(good);
        var i = 0;
        foreach (var example in good)
        {
            // One profile per node: each good profile goes to a node of its own.
            using var node = new MapNode();
            node.CreateDataset("examples", kind);
            node.Records.Create(MapNode.Admin, "examples", $"good-{i++}", example);
        }
    }

    [Theory]
    [InlineData(ProfileKind.KindName)]
    [InlineData(OffersKind.KindName)]
    public void Every_bad_example_is_refused_with_its_code(string kind)
    {
        _node.CreateDataset("examples", kind);
        var bad = Examples($"{kind}.v1.bad.json");
        Assert.NotEmpty(bad);
        foreach (var example in bad)
        {
            var why = example.GetProperty("why").GetString();
            var e = Assert.ThrowsAny<CommonsException>(() => _node.Records.Create(MapNode.Admin, "examples", null, example.GetProperty("data")));
            Assert.True(example.GetProperty("code").GetString() == e.Code, $"{why}: {e.Code} ({e.Detail})");
        }
    }

    private static List<JsonElement> Examples(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "spec", "schemas", "examples", file)));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}

internal static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
        }
    }
}
