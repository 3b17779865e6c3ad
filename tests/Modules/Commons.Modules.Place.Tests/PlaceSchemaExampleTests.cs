using System.Text.Json;
using Commons.Core.Errors;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The v2 schemas' example documents (spec/schemas/examples): every good one is stored through a real write, every
/// bad one is refused with the code it names — the schema's or a rule's. Bookings are written beside the hall, the
/// van and the studio (<see cref="PlaceTerms"/>).
/// </summary>
public sealed class PlaceSchemaExampleTests
{
    [Fact]
    public void Every_version_of_each_kinds_schema_is_published_under_spec_schemas_as_the_module_embeds_it()
    {
        foreach (var kind in new PlaceModule().Kinds)
            for (var version = 1; version <= kind.SchemaVersion; version++)
            {
                var name = $"{kind.Name}.v{version}.json";
                var published = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "spec", "schemas", name)));
                Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(PlaceSchemas.Read(kind.Name, version)), published),
                    $"spec/schemas/{name} differs from the module's");
            }
    }

    [Theory]
    [InlineData(ResourcesKind.KindName)]
    [InlineData(BookingsKind.KindName)]
    public void Every_good_example_is_stored(string kind)
    {
        using var node = new PlaceNode().WithStudio();
        var good = Examples($"{kind}.v2.good.json");
        Assert.NotEmpty(good);
        var i = 0;
        foreach (var example in good) node.Records.Create(Admin, Dataset(kind), $"good-{i++}", example);
    }

    [Theory]
    [InlineData(ResourcesKind.KindName)]
    [InlineData(BookingsKind.KindName)]
    public void Every_bad_example_is_refused_with_its_code(string kind)
    {
        using var node = new PlaceNode().WithStudio();
        var bad = Examples($"{kind}.v2.bad.json");
        Assert.NotEmpty(bad);
        foreach (var example in bad)
        {
            var why = example.GetProperty("why").GetString();
            var e = Assert.ThrowsAny<CommonsException>(() => node.Records.Create(Admin, Dataset(kind), null, example.GetProperty("data")));
            Assert.True(example.GetProperty("code").GetString() == e.Code, $"{why}: {e.Code} ({e.Detail})");
        }
        Assert.Equal(kind == BookingsKind.KindName ? 0 : 3, node.RecordStore.Count(node.DatasetStore.Find(Dataset(kind))!.Key));
    }

    private static string Dataset(string kind) => kind == BookingsKind.KindName ? "bookings" : "rooms";

    private static List<JsonElement> Examples(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "spec", "schemas", "examples", file)));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
