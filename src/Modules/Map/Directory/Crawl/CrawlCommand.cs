using System.CommandLine;
using System.Globalization;
using Commons.Platform;

namespace Commons.Modules.Map.Directory.Crawl;

/// <summary>
/// <c>commons-node map crawl</c>: crawls now, as the operator, and prints one line for the run (requests, found,
/// skipped, complete or cut at the cap) then one line per skipped address with its reason.
/// </summary>
public static class CrawlCommand
{
    public static Command Build(Func<ModuleCommandContext> context)
    {
        var crawl = new Command("crawl", "Find public profiles through public relationships now (depth, pace and cap from Map:Crawl).");
        crawl.SetAction(async (parse, ct) =>
        {
            var c = context();
            var run = await c.Get<DirectoryCrawler>().CrawlAsync(c.Operator, ct);
            c.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"crawl {(run.Complete ? "complete" : "cut at the cap of requests")}: found {run.Found}, skipped {run.Skipped.Count}, requests {run.Fetches}"));
            foreach (var s in run.Skipped) c.Out.WriteLine($"skipped {s.Url}: {s.Reason}");
            return 0;
        });
        return crawl;
    }
}
