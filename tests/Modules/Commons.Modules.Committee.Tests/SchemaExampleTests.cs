using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// The schemas as spec/schemas publishes them, and their example documents (spec/schemas/examples): every good one is
/// stored through a real write on a coordinator, every bad one refused with the code it names — the schema's or a
/// rule's — and nothing of it stored. An example's <c>id</c> is its record's id, not part of its data.
/// </summary>
public sealed class SchemaExampleTests
{
    [Fact]
    public void Each_kinds_schema_is_published_under_spec_schemas_as_the_module_embeds_it()
    {
        foreach (var kind in new CommitteeModule().Kinds)
        {
            var name = $"{kind.Name}.v{kind.SchemaVersion}.json";
            var published = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "spec", "schemas", name)));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(kind.Schema), published), $"spec/schemas/{name} differs from the module's");
            Assert.Equal($"/schemas/{name}", published!["$id"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(CommitteeKind.KindName, "committee")]
    [InlineData(ProposalsKind.KindName, "proposals")]
    [InlineData(DecisionsKind.KindName, "decisions")]
    public async Task Every_good_example_is_stored_and_every_bad_one_refused_with_its_code(string kind, string dataset)
    {
        await using var s = await CommitteeScenario.StartAsync(2, null, "credit.limits", "datasets.policy");
        var c = s.Coordinator;
        s.Coordinator.Propose("p-example");
        s.Coordinator.Propose("p-other");
        // Only a closing writes a decision: the examples are written as if their proposals were being closed.
        c.ModuleStore.Write(CommitteeBook.Module, d =>
        {
            foreach (var id in new[] { "p-example", "p-other" }) new CommitteeBook(d).MarkClosing("proposals", id);
            return 0;
        });
        var before = Count(c, dataset);
        var good = Examples($"{kind}.v1.good.json");
        Assert.NotEmpty(good);
        var i = 0;
        foreach (var example in good)
        {
            var (id, data) = Split(example, $"good-{i++}");
            c.Records.Create(Admin, dataset, id, data);
        }
        Assert.Equal(before + good.Count, Count(c, dataset));

        var bad = Examples($"{kind}.v1.bad.json");
        Assert.NotEmpty(bad);
        foreach (var example in bad)
        {
            var (id, data) = Split(example.GetProperty("data"), $"bad-{i++}");
            var e = Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, dataset, id, data));
            Assert.True(example.GetProperty("code").GetString() == e.Code, $"{example.GetProperty("why").GetString()}: {e.Code} ({e.Detail})");
        }
        Assert.Equal(before + good.Count, Count(c, dataset));
    }

    private static (string Id, JsonElement Data) Split(JsonElement example, string fallback)
    {
        var data = JsonNode.Parse(example.GetRawText())!.AsObject();
        var id = data["id"]?.GetValue<string>() ?? fallback;
        data.Remove("id");
        return (id, Doc(data));
    }

    private static long Count(CommitteeNode node, string dataset) => node.RecordStore.Count(node.DatasetStore.Find(dataset)!.Key);

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
