using Commons.Core.Federation;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary><c>commons-node map matches</c>: one line per match, through the same service as the API.</summary>
public sealed class MapCommandTests : IDisposable
{
    private readonly MapNode _node = new();
    private readonly StringWriter _out = new();

    public MapCommandTests()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-van", MapNode.Doc("""{"kind":"need","category":"logistics","title":"Cherche camionnette","language":"fr"}"""));
        _node.Records.Create(MapNode.Admin, "offers", "need-bike", MapNode.Doc("""{"kind":"need","category":"logistics","title":"Cherche vélo cargo","language":"fr"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("bus", """{"kind":"offer","category":"logistics","title":"Bestelbus te leen","language":"nl"}"""),
            ("bakfiets", """{"kind":"offer","category":"logistics","title":"Bakfiets te leen","language":"nl"}"""));
    }

    public void Dispose() => _node.Dispose();

    private int Run(params string[] args)
    {
        var services = new ServiceCollection().AddSingleton(_node.Map).AddSingleton(_node.Tiles).BuildServiceProvider();
        var command = new MapModule().BuildCommand(() => new ModuleCommandContext(services, _out, MapNode.Admin))!;
        return command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = _out, Error = new StringWriter() });
    }

    [Fact]
    public void Matches_prints_one_line_per_match()
    {
        Assert.Equal(0, Run("matches"));
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("need-van", StringComparison.Ordinal) && l.Contains(" bus ") && l.Contains("b.example"));
        Assert.Contains(lines, l => l.StartsWith("need-bike", StringComparison.Ordinal) && l.Contains(" bakfiets "));
    }

    [Fact]
    public void Matches_of_one_listing()
    {
        Assert.Equal(0, Run("matches", "--listing", "need-bike"));
        Assert.Single(_out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Tiles_are_shown_set_refused_and_cleared_one_line_each()
    {
        Assert.Equal(0, Run("tiles"));
        Assert.Equal("no tile server: the map is the schematic one", Last());
        Assert.Equal(0, Run("tiles", "set", "https://tile.example/{z}/{x}/{y}.png", "--attribution", "© OSM"));
        Assert.Equal("tile server set: https://tile.example/{z}/{x}/{y}.png (images from https://tile.example) — © OSM", Last());
        Assert.Equal(0, Run("tiles", "show"));
        Assert.StartsWith("tile server: https://tile.example/{z}/{x}/{y}.png (images from https://tile.example) — © OSM; set by root at 2026-04-01T08:00:00", Last());

        // A refused address leaves the setting as it was (the node's CLI prints the code, [invalid_tile_server]).
        var refused = Assert.Throws<Core.Kinds.RuleViolationException>(() =>
            new MapModule().BuildCommand(() => new ModuleCommandContext(new ServiceCollection().AddSingleton(_node.Tiles).BuildServiceProvider(), _out, MapNode.Admin))!
                .Parse(["tiles", "set", "http://tile.example/{z}/{x}/{y}.png", "--attribution", "©"])
                .Invoke(new System.CommandLine.InvocationConfiguration { Output = _out, Error = new StringWriter(), EnableDefaultExceptionHandler = false }));
        Assert.Equal("invalid_tile_server", refused.Code);
        Assert.Equal("https://tile.example/{z}/{x}/{y}.png", _node.Tiles.Current?.UrlTemplate);

        Assert.Equal(0, Run("tiles", "clear"));
        Assert.Equal("tile server removed", Last());
        Assert.Equal(0, Run("tiles", "clear"));
        Assert.Equal("no tile server was set", Last());
    }

    private string Last() => _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('\r');
}
