using Commons.Core.Modules;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Modules.Map.Tests;

/// <summary>The background crawl: at once when there was none, then a day after the last run started, never sooner; on the injected clock.</summary>
public sealed class DailyCrawlTests : IDisposable
{
    private readonly JumpClock _clock = new(MapNode.Start);
    private readonly (MapNode Node, DirectoryCrawler Crawler, Directory.NetworkDirectory Directory) _us;
    private readonly DailyCrawl _daily;

    public DailyCrawlTests()
    {
        _us = CrawlingNode.Create(_clock, new CrawlOptions());
        _daily = new DailyCrawl(_us.Crawler, _us.Node.ModuleStore, AllModulesOn.Instance, new CrawlOptions(), _clock, NullLogger<DailyCrawl>.Instance);
    }

    public void Dispose()
    {
        _daily.Dispose();
        _us.Node.Dispose();
    }

    [Fact]
    public async Task Runs_at_once_then_a_day_after_the_last_start_and_never_sooner()
    {
        Assert.Equal(MapNode.Start, _daily.NextDue());
        var first = await _us.Crawler.CrawlAsync(MapNode.Admin, CancellationToken.None);
        Assert.Equal(first.StartedAt + TimeSpan.FromDays(1), _daily.NextDue());

        await _daily.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_us.Crawler.LastRun(MapNode.Alice)!.By != "background" && DateTime.UtcNow < deadline) await Task.Yield();
        await _daily.StopAsync(CancellationToken.None);

        var background = _us.Crawler.LastRun(MapNode.Alice)!;
        Assert.Equal("background", background.By);
        Assert.True(background.StartedAt - first.StartedAt >= TimeSpan.FromDays(1), $"ran {background.StartedAt - first.StartedAt} after the last run");
    }

    [Fact]
    public void A_depth_beyond_three_or_a_turn_shorter_than_a_day_is_refused_at_start()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrawlOptions { Depth = 4 }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrawlOptions { Every = TimeSpan.FromHours(23) }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrawlOptions { MaxFetchesPerRun = 0 }.Validated());
    }
}
