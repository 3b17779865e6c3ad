using System.Net;
using System.Text.Json.Nodes;
using Commons.Node.Hosting.Modules;
using Commons.Node.Tests.Support;
using Commons.Platform;
using Commons.Probe;

namespace Commons.Node.Tests.Modules;

/// <summary>Kinds' schemas at their stable URL, for anyone, and the same documents committed under spec/schemas/.</summary>
public sealed class KindSchemaTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    private static string SpecFolder => Path.Combine(ProblemCodeTable.RepositoryRoot(), "spec", "schemas");

    [Fact]
    public async Task A_kinds_schema_is_served_to_anyone_as_schema_json_cacheable_whether_its_module_is_on_or_not()
    {
        using var anonymous = node.Client();
        var response = await anonymous.GetAsync("/schemas/probe.slots.v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SchemaEndpoints.MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge: not null }, response.Headers.CacheControl?.ToString());
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(new SlotsKind().Schema), served));
        Assert.Equal(KindSchemas.PathOf(new SlotsKind()), (string?)served!["$id"]);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/schemas/probe.slots.v1.json");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
    }

    [Theory]
    [InlineData("/schemas/probe.slots.v2.json")]
    [InlineData("/schemas/probe.slots.v0.json")]
    [InlineData("/schemas/probe.nothing.v1.json")]
    [InlineData("/schemas/probe.slots.json")]
    [InlineData("/schemas/custom.v1.json")]
    public async Task Another_version_or_kind_is_a_404_problem(string path)
    {
        using var anonymous = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        Assert.Equal("not_found", (string?)(await NodeFactory.ExpectProblem(await anonymous.SendAsync(request), 404))["code"]);
    }

    /// <summary>Every kind of every module built into the node: the served schema equals the committed file, and its $id is its URL's path.</summary>
    [Fact]
    public async Task Every_kind_of_every_module_is_committed_under_spec_schemas_as_served()
    {
        using var anonymous = node.Client();
        foreach (var kind in NodeModules.All.SelectMany(m => m.Kinds))
        {
            var file = Path.Combine(SpecFolder, KindSchemas.FileName(kind.Name, kind.SchemaVersion));
            Assert.True(File.Exists(file), $"{kind.Name} v{kind.SchemaVersion}: spec/schemas/{Path.GetFileName(file)} is missing");
            var served = await NodeFactory.Expect(await anonymous.GetAsync(KindSchemas.PathOf(kind)), 200);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(file)), served), $"{kind.Name}: spec/schemas/{Path.GetFileName(file)} differs from what the node serves");
            Assert.Equal(KindSchemas.PathOf(kind), (string?)served["$id"]);
        }
        // And nothing committed there that no kind has (an older version of a kind that moved on may stay).
        var kinds = NodeModules.All.SelectMany(m => m.Kinds).ToDictionary(k => k.Name, k => k.SchemaVersion);
        foreach (var file in Directory.Exists(SpecFolder) ? Directory.GetFiles(SpecFolder, "*.json") : [])
        {
            var name = Path.GetFileName(file);
            var known = kinds.Any(k => Enumerable.Range(1, k.Value).Any(v => KindSchemas.FileName(k.Key, v) == name));
            Assert.True(known, $"spec/schemas/{name} is no version of a kind of this node");
        }
    }
}
