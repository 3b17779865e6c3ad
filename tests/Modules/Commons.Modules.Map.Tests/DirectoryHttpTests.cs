using System.Net;
using System.Text.Json;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;
using Commons.Storage.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary>The directory's exports on the API over real HTTP: media types, the filter from the query, the read scope.</summary>
public sealed class DirectoryHttpTests : IAsyncLifetime
{
    private readonly MapNode _node = new();
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var directory = new NetworkDirectory(_node.Directory, _node.DatasetStore, _node.Subscriptions, new LiteFollowerStore(_node.Database),
            _node.Replicas, _node.ModuleStore, _node.Clock);
        _host = await MapHost.StartAsync(_node, s => s.AddSingleton(directory));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task The_exports_answer_geojson_and_csv_filtered_by_the_query()
    {
        _node.CreateDataset("profile", ProfileKind.KindName);
        _node.Map.PutProfile(MapNode.Admin, MapNode.Doc("""{"name":"Buurthuis, \"Kaai\"","commune":"21001","sectors":["wonen"]}"""), null);
        using var alice = _host.Client("alice");

        var geo = await alice.GetAsync("/api/map/directory.geojson");
        Assert.Equal(HttpStatusCode.OK, geo.StatusCode);
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType?.MediaType);
        var collection = JsonDocument.Parse(await geo.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Buurthuis, \"Kaai\"", collection.GetProperty("features")[0].GetProperty("properties").GetProperty("name").GetString());

        var csv = await alice.GetAsync("/api/map/directory.csv?sector=WONEN");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("address,is_this_node,name,", text, StringComparison.Ordinal);
        Assert.Contains(",true,\"Buurthuis, \"\"Kaai\"\"\",21001,", text, StringComparison.Ordinal);

        var none = await alice.GetAsync("/api/map/directory.csv?commune=21002");
        Assert.Single((await none.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }
}
