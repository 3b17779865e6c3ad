using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Tests.Support;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// The schemas' example documents (spec/schemas/examples): every good one is stored through a real write, every bad
/// one is refused with the code it names — the schema's or a rule's — and nothing is stored. Written beside the
/// issue's group (<see cref="EmployersNode.WithGroup"/>) and an unassigned worker, Chris.
/// </summary>
public sealed class SchemaExampleTests
{
    [Fact]
    public void Each_kinds_schema_is_published_under_spec_schemas_as_the_module_embeds_it_with_its_id_at_its_path()
    {
        foreach (var kind in new EmployersModule().Kinds)
            for (var version = 1; version <= kind.SchemaVersion; version++)
            {
                var name = $"{kind.Name}.v{version}.json";
                var published = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "spec", "schemas", name)))!;
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(EmployersSchemas.Read(kind.Name, version)), published), $"spec/schemas/{name} differs from the module's");
                Assert.Equal($"/schemas/{name}", published["$id"]!.GetValue<string>());
            }
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(new WorkersKind().Schema), JsonNode.Parse(EmployersSchemas.Read(WorkersKind.KindName, 2))));
    }

    [Fact]
    public void Every_field_has_its_label_in_french_dutch_and_english()
    {
        foreach (var kind in new EmployersModule().Kinds)
            foreach (var field in JsonNode.Parse(kind.Schema)!["properties"]!.AsObject())
                foreach (var language in new[] { "fr", "nl", "en" })
                    Assert.False(string.IsNullOrWhiteSpace(field.Value!["x-titles"]?[language]?.GetValue<string>()), $"{kind.Name}.{field.Key} has no {language} label");
    }

    [Theory]
    [InlineData(GroupKind.KindName)]
    [InlineData(WorkersKind.KindName)]
    [InlineData(AssignmentsKind.KindName)]
    [InlineData(HoursKind.KindName)]
    public void Every_good_example_is_stored(string kind)
    {
        using var node = Context(kind);
        var good = Examples($"{kind}.v{Version(kind)}.good.json");
        Assert.NotEmpty(good);
        var i = 0;
        foreach (var example in good)
            if (kind == GroupKind.KindName) node.Records.Update(Admin, "group", "settings", example, null, null);
            else node.Records.Create(Admin, Dataset(kind), $"good-{i++}", example);
    }

    [Theory]
    [InlineData(GroupKind.KindName)]
    [InlineData(WorkersKind.KindName)]
    [InlineData(AssignmentsKind.KindName)]
    [InlineData(HoursKind.KindName)]
    public void Every_bad_example_is_refused_with_its_code_and_nothing_is_stored(string kind)
    {
        using var node = Context(kind);
        var before = node.Count(Dataset(kind));
        var bad = Examples($"{kind}.v{Version(kind)}.bad.json");
        Assert.NotEmpty(bad);
        foreach (var example in bad)
        {
            var why = example.GetProperty("why").GetString();
            var e = Assert.ThrowsAny<CommonsException>(() => kind == GroupKind.KindName
                ? node.Records.Update(Admin, "group", "settings", example.GetProperty("data"), null, null)
                : node.Records.Create(Admin, Dataset(kind), null, example.GetProperty("data")));
            Assert.True(example.GetProperty("code").GetString() == e.Code, $"{why}: {e.Code} ({e.Detail})");
        }
        Assert.Equal(before, node.Count(Dataset(kind)));
    }

    private static EmployersNode Context(string kind)
    {
        var node = new EmployersNode().WithGroup();
        node.Records.Create(Admin, "workers", "chris", Doc("""{"name":"Chris Lambert","role":"Technicien","contractHoursPerWeek":30,"monthlyCost":"2100.00"}"""));
        return node;
    }

    private static int Version(string kind) => new EmployersModule().Kinds.Single(k => k.Name == kind).SchemaVersion;

    private static string Dataset(string kind) => kind[(kind.IndexOf('.') + 1)..];

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
