using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The directory's crawl against real nodes (<see cref="CrawlNetwork"/>): it stops at its depth, never asks for a
/// dataset that is not public (and nobody lists one), keeps one request per host per interval and its cap per run on
/// the test's clock, ends on cycles, and marks what it found with whom it was found through.
/// </summary>
public sealed class CrawlTests(CrawlNetwork net) : IClassFixture<CrawlNetwork>
{
    private static readonly CrawlOptions Options = new() { HostInterval = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Depth_two_reaches_C_through_B_not_D_and_the_cycles_back_to_B_and_to_us_end()
    {
        net.ClearLogs();
        var (node, crawler, directory) = net.Us_(Options, net.B.Url);
        using (node)
        {
            var run = await crawler.CrawlAsync(MapNode.Admin, CancellationToken.None);

            Assert.True(run.Complete);
            var crawled = directory.Read(MapNode.Alice).Nodes.Where(n => n.Crawled is not null).ToDictionary(n => n.Host);
            Assert.Equal(new HashSet<string> { net.B.Authority, net.C.Authority }, crawled.Keys.ToHashSet());
            Assert.Equal(("Bruxelles Partage", 1, "", "partner_of"), (crawled[net.B.Authority].Profile!.Name, crawled[net.B.Authority].Crawled!.Depth,
                crawled[net.B.Authority].Crawled!.Via, crawled[net.B.Authority].Crawled!.Predicate));
            Assert.Equal(("Coopérative Canal", 2, net.B.Authority), (crawled[net.C.Authority].Profile!.Name, crawled[net.C.Authority].Crawled!.Depth,
                crawled[net.C.Authority].Crawled!.Via));
            Assert.True(crawled[net.C.Authority].OnlyCrawled);
            Assert.Empty(net.D.Requests);
            // Each host read once: C names B again and B names us, neither is asked for twice (nor are we asked at all).
            Assert.Single(net.B.Requests, r => r.PathAndQuery.StartsWith("/nodeinfo/datasets", StringComparison.Ordinal));
            Assert.Single(net.C.Requests, r => r.PathAndQuery.StartsWith("/nodeinfo/datasets", StringComparison.Ordinal));
            Assert.Equal(2, run.Found);

            var ties = directory.Read(MapNode.Alice).Ties;
            Assert.Contains(new Tie("", net.B.Authority, "partner_of"), ties);
            Assert.Contains(new Tie(net.B.Authority, net.C.Authority, "partner_of"), ties);
            Assert.Contains(new Tie(net.C.Authority, net.B.Authority, "partner_of"), ties);
            Assert.Contains(new Tie(net.B.Authority, "", "shares_staff_with"), ties);
            Assert.DoesNotContain(ties, t => t.To == net.D.Authority);
        }
    }

    [Fact]
    public async Task A_private_and_a_followers_only_profile_are_never_fetched_nor_listed()
    {
        net.ClearLogs();
        var (node, crawler, directory) = net.Us_(Options, net.B.Url);
        using (node)
        {
            var run = await crawler.CrawlAsync(MapNode.Admin, CancellationToken.None);

            foreach (var closed in new[] { net.P, net.F })
            {
                Assert.NotEmpty(closed.Requests);
                Assert.DoesNotContain(closed.Requests, r => r.PathAndQuery.StartsWith("/datasets", StringComparison.Ordinal));
                Assert.Contains(run.Skipped, s => s.Url == closed.Url && s.Reason.Contains("publishes no public profile", StringComparison.Ordinal));
                Assert.DoesNotContain(directory.Read(MapNode.Alice).Nodes, n => n.Host == closed.Authority);
                // Whoever asks, the listing names no dataset of theirs, nor how many there are.
                using var anyone = new HttpClient();
                var listing = JsonNode.Parse(await anyone.GetStringAsync($"{closed.Url}/nodeinfo/datasets"))!;
                Assert.Empty(listing["datasets"]!.AsArray());
                Assert.Equal(["id", "datasets"], listing.AsObject().Select(p => p.Key));
            }
            Assert.All(net.All.SelectMany(n => n.Requests), r => Assert.False(r.Signed, $"{r.PathAndQuery} was signed"));
            using var client = new HttpClient();
            var open = JsonNode.Parse(await client.GetStringAsync($"{net.B.Url}/nodeinfo/datasets?kind=map.profile"))!["datasets"]!.AsArray();
            Assert.Equal($"{net.B.Url}/datasets/profile", (string)Assert.Single(open)!["actor"]!);
        }
    }

    [Fact]
    public async Task One_request_per_host_per_interval_on_the_clock_and_the_run_stops_at_its_cap()
    {
        net.ClearLogs();
        var (node, crawler, _) = net.Us_(Options, net.B.Url);
        using (node)
        {
            var before = net.Clock.GetUtcNow();
            await crawler.CrawlAsync(MapNode.Admin, CancellationToken.None);
            foreach (var peer in net.All)
            {
                var times = peer.Requests.Select(r => r.At).Order().ToList();
                for (var i = 1; i < times.Count; i++)
                    Assert.True(times[i] - times[i - 1] >= Options.HostInterval, $"{peer.Authority}: two requests {times[i] - times[i - 1]} apart");
            }
            Assert.True(net.B.Requests.Count >= 4);
            Assert.True(net.Clock.GetUtcNow() - before >= Options.HostInterval * (net.B.Requests.Count - 1));
        }

        net.ClearLogs();
        var (capped, cappedCrawler, _) = net.Us_(new CrawlOptions { HostInterval = TimeSpan.FromSeconds(5), MaxFetchesPerRun = 6 }, net.B.Url);
        using (capped)
        {
            var run = await cappedCrawler.CrawlAsync(MapNode.Admin, CancellationToken.None);
            Assert.False(run.Complete);
            Assert.Equal(6, run.Fetches);
            Assert.Equal(6, net.All.Sum(n => n.Requests.Count));
            Assert.Contains(run.Skipped, s => s.Reason.Contains("cap", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Only_an_administrator_crawls_and_the_last_run_is_kept()
    {
        var (node, crawler, _) = net.Us_(Options);
        using (node)
        {
            Assert.Null(crawler.LastRun(MapNode.Alice));
            await Assert.ThrowsAsync<Core.Errors.ForbiddenException>(() => crawler.CrawlAsync(MapNode.Alice, CancellationToken.None));
            var run = await crawler.CrawlAsync(MapNode.Admin, CancellationToken.None);
            Assert.Equal((0, 0, "root"), (run.Found, run.Fetches, run.By));
            Assert.Equal(run.StartedAt, crawler.LastRun(MapNode.Alice)!.StartedAt);
        }
    }
}
