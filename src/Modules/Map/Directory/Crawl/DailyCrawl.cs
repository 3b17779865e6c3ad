using Commons.Core.Modules;
using Commons.Modules.Map.Kinds;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Commons.Modules.Map.Directory.Crawl;

/// <summary>
/// The crawl on its own, at most once every <see cref="CrawlOptions.Every"/> (a day at least) counted from the last
/// run's start, whoever started it; waits on the injected clock. While the map is off on this node it does not crawl.
/// A run that fails is logged and tried again at the next turn.
/// </summary>
public sealed class DailyCrawl(DirectoryCrawler crawler, IModuleStore modules, IModuleSwitches switches, CrawlOptions options, TimeProvider clock,
    ILogger<DailyCrawl> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Background) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = NextDue();
            var wait = due - clock.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, stoppingToken);
                if (switches.IsOn(Module)) await RunAsync(stoppingToken);
                else await Task.Delay(TimeSpan.FromHours(1), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>When the next run is due: a day (or <see cref="CrawlOptions.Every"/>) after the last one started; now when there was none.</summary>
    internal DateTimeOffset NextDue() =>
        modules.Read(Module, CrawledNodes.LastRun) is { } last ? last.StartedAt + options.Every : clock.GetUtcNow();

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            var run = await crawler.RunAsync("background", ct);
            log.LogInformation("Directory crawl: {Found} profiles found, {Skipped} skipped, {Fetches} requests", run.Found, run.Skipped.Count, run.Fetches);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The directory crawl failed; it is tried again in {Every}", options.Every);
            // A failed run leaves no trace in the store: wait a turn before the next try rather than spin.
            await Task.Delay(options.Every, clock, ct);
        }
    }

    private static string Module => ProfileKind.KindName[..ProfileKind.KindName.IndexOf('.')];
}
