using System.Text;
using Commons.Modules.Map.Directory;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Map.Api;

/// <summary>The directory's exports on <c>/api/map</c>: GeoJSON and CSV of the nodes the filter keeps (words, sector, commune, language).</summary>
public static class DirectoryApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/directory.geojson", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                string? q, string? sector, string? commune, string? language) =>
                Results.Text(DirectoryExports.GeoJson(directory.Search(callers.Caller(http), new DirectoryFilter(q, sector, commune, language))).ToJsonString(),
                    DirectoryExports.GeoJsonType, Encoding.UTF8))
            .WithTags("Map").Produces(200, contentType: DirectoryExports.GeoJsonType).ProducesProblem(403)
            .WithSummary("The directory as GeoJSON (RFC 7946): a point per node at its profile's geolocation, else its commune's centre (null when unknown); this node is_this_node.");
        api.MapGet("/directory.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                string? q, string? sector, string? commune, string? language) =>
                Results.Text(DirectoryExports.Csv(directory.Search(callers.Caller(http), new DirectoryFilter(q, sector, commune, language))),
                    DirectoryExports.CsvType + "; header=present", Encoding.UTF8))
            .WithTags("Map").Produces(200, contentType: DirectoryExports.CsvType).ProducesProblem(403)
            .WithSummary("The directory as CSV (RFC 4180, a header line): one line per node the filter keeps.");
    }
}
