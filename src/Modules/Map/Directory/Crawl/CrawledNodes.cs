using System.Text.Json;
using Commons.Core.Modules;

namespace Commons.Modules.Map.Directory.Crawl;

/// <summary>
/// A node the crawl found: its public profile as it was at <see cref="FetchedAt"/>, how many steps of relationships
/// away from the nodes we know directly (0: one of those, whose profile we did not hold), and through whom
/// (<see cref="Via"/>: the host whose profile named it, "" for ours; null at depth 0) with which tie.
/// </summary>
public sealed record CrawledNode(string Host, string Url, int Depth, string? Via, string? Predicate, DateTimeOffset FetchedAt, JsonElement Profile);

/// <summary>An address the crawl did not take a profile from, and why.</summary>
public sealed record CrawlSkip(string Url, string Reason);

/// <summary>One run of the crawl: when, who asked (an administrator, or <c>background</c>), what it cost, found and skipped.</summary>
public sealed record CrawlRun(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string By, int Fetches, int Found, bool Complete, IReadOnlyList<CrawlSkip> Skipped);

/// <summary>Where the crawl keeps what it found (module collection <c>crawl</c>, one document per host) and its last run.</summary>
internal static class CrawledNodes
{
    private const string Collection = "crawl";
    private const string Runs = "crawl-runs";
    private const string Last = "last";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<CrawledNode> All(IModuleData data) =>
        data.Range(Collection, null, null, int.MaxValue).Select(d => d.Value.Deserialize<CrawledNode>(Json)!).ToList();

    public static CrawlRun? LastRun(IModuleData data) => data.Get(Runs, Last)?.Deserialize<CrawlRun>(Json);

    /// <summary>
    /// Keeps what a run found. A complete run replaces everything (what it no longer reaches is forgotten); a run cut
    /// short by its cap only adds and refreshes, since what it did not reach may still be there.
    /// </summary>
    public static void Save(IModuleData data, IReadOnlyList<CrawledNode> found, CrawlRun run)
    {
        if (run.Complete)
            foreach (var old in data.Range(Collection, null, null, int.MaxValue))
                if (!found.Any(f => f.Host == old.Key)) data.Delete(Collection, old.Key);
        foreach (var node in found) data.Put(Collection, node.Host, JsonSerializer.SerializeToElement(node, Json));
        data.Put(Runs, Last, JsonSerializer.SerializeToElement(run, Json));
    }
}
