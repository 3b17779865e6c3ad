using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary><c>commons-node map crawl</c>: one line for the run, one per address skipped with its reason; the run is kept.</summary>
public sealed class CrawlCommandTests : IDisposable
{
    private readonly (MapNode Node, DirectoryCrawler Crawler, Directory.NetworkDirectory Directory) _us =
        CrawlingNode.Create(new JumpClock(MapNode.Start), new CrawlOptions(), "https://unknown.example");
    private readonly StringWriter _out = new();

    public void Dispose() => _us.Node.Dispose();

    [Fact]
    public void Crawl_prints_the_run_and_each_skipped_address()
    {
        var services = new ServiceCollection().AddSingleton(_us.Crawler).BuildServiceProvider();
        var command = new MapModule().BuildCommand(() => new ModuleCommandContext(services, _out, MapNode.Admin))!;
        var code = command.Parse(["crawl"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = _out, Error = new StringWriter() });

        Assert.Equal(0, code);
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("crawl complete: found 0, skipped 1, requests 1", lines[0]);
        Assert.StartsWith("skipped https://unknown.example: ", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Equal(MapNode.Admin.Username, _us.Crawler.LastRun(MapNode.Alice)!.By);
    }
}
