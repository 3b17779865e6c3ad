using System.Text;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Map.Api;

/// <summary>
/// The directory's exports on <c>/api/map</c>: GeoJSON and CSV of the nodes the filter keeps (words, sector, commune,
/// language, category of open offers and needs); and its crawl: the last run, and a run now (administrators).
/// </summary>
public static class DirectoryApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/directory.geojson", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                string? q, string? sector, string? commune, string? language, string? category) =>
                Results.Text(DirectoryExports.GeoJson(directory.Search(callers.Caller(http), new DirectoryFilter(q, sector, commune, language, category))).ToJsonString(),
                    DirectoryExports.GeoJsonType, Encoding.UTF8))
            .WithTags("Map").Produces(200, contentType: DirectoryExports.GeoJsonType).ProducesProblem(403)
            .WithSummary("The directory as GeoJSON (RFC 7946): a point per node at its profile's geolocation, else its commune's centre (null when unknown); this node is_this_node.");
        api.MapGet("/directory.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                string? q, string? sector, string? commune, string? language, string? category) =>
                Results.Text(DirectoryExports.Csv(directory.Search(callers.Caller(http), new DirectoryFilter(q, sector, commune, language, category))),
                    DirectoryExports.CsvType + "; header=present", Encoding.UTF8))
            .WithTags("Map").Produces(200, contentType: DirectoryExports.CsvType).ProducesProblem(403)
            .WithSummary("The directory as CSV (RFC 4180, a header line): one line per node the filter keeps.");
        api.MapGet("/directory/crawl", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] DirectoryCrawler crawler) =>
                new CrawlStatusResponse(crawler.LastRun(callers.Caller(http)) is { } run ? CrawlRunResponse.From(run) : null))
            .WithTags("Map").Produces<CrawlStatusResponse>().ProducesProblem(403)
            .WithSummary("The directory crawl's last run (null before the first): when, who started it, requests sent, profiles found, addresses skipped and why.");
        api.MapPost("/directory/crawl", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] DirectoryCrawler crawler) =>
                CrawlRunResponse.From(await crawler.CrawlAsync(callers.Caller(http), http.RequestAborted)))
            .WithTags("Map").Produces<CrawlRunResponse>().ProducesProblem(403)
            .WithSummary("Administrators: crawl now for public profiles through public relationships (depth, pace per host and requests per run as configured in Map:Crawl); answers the run once it ends.");
    }
}

/// <summary>An address the crawl took nothing from, and why.</summary>
public sealed record CrawlSkipResponse(string Url, string Reason);

/// <summary>One run of the directory's crawl.</summary>
public sealed record CrawlRunResponse(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string By, int Fetches, int Found, bool Complete,
    IReadOnlyList<CrawlSkipResponse> Skipped)
{
    public static CrawlRunResponse From(CrawlRun run) => new(run.StartedAt, run.FinishedAt, run.By, run.Fetches, run.Found, run.Complete,
        run.Skipped.Select(s => new CrawlSkipResponse(s.Url, s.Reason)).ToList());
}

/// <summary>The crawl's last run; null before the first.</summary>
public sealed record CrawlStatusResponse(CrawlRunResponse? LastRun);
