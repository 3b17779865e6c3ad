using System.Xml.Linq;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Resources;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace Commons.Modules.Map.Directory;

/// <summary>
/// The files the pages link to, behind the browser sign-in like the pages (the API under /api takes no browser
/// session): the drawings <c>/map/drawing/communes.svg</c> and <c>/map/drawing/graph.svg</c> in the member's language,
/// and the directory's downloads <c>/map/directory.geojson</c> and <c>/map/directory.csv</c> with the page's search.
/// </summary>
public static class DrawingEndpoints
{
    public static void Map(IEndpointRouteBuilder pages)
    {
        pages.MapGet("/drawing/communes.svg", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                [FromServices] IStringLocalizer<NetworkText> t) =>
            Svg(http, Drawings.Communes(directory.Read(callers.Caller(http)).Communes, Words(t, t["CommunesSvgTitle"]))));
        pages.MapGet("/drawing/graph.svg", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                [FromServices] IStringLocalizer<NetworkText> t) =>
            Svg(http, Drawings.Graph(directory.Read(callers.Caller(http)), Words(t, t["GraphSvgTitle"]))));
        pages.MapGet("/directory.geojson", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                string? q, string? sector, string? commune, string? language, string? category) =>
            Results.File(System.Text.Encoding.UTF8.GetBytes(DirectoryExports.GeoJson(directory.Search(callers.Caller(http), new DirectoryFilter(q, sector, commune, language, category))).ToJsonString()),
                DirectoryExports.GeoJsonType, "directory.geojson"));
        pages.MapGet("/directory.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] NetworkDirectory directory,
                string? q, string? sector, string? commune, string? language, string? category) =>
            Results.File(System.Text.Encoding.UTF8.GetBytes(DirectoryExports.Csv(directory.Search(callers.Caller(http), new DirectoryFilter(q, sector, commune, language, category)))),
                DirectoryExports.CsvType + "; charset=utf-8; header=present", "directory.csv"));
    }

    public static DrawingWords Words(IStringLocalizer<NetworkText> t, string title) =>
        new(title, t["SvgOrganisations"], t["SvgOffers"], t["SvgNeeds"], t["ThisNode"],
            c => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "nl" ? c.Nl : c.Fr)
        {
            TieWord = predicate => t["TieWord_" + predicate] is { ResourceNotFound: false } word ? word.Value : predicate,
        };

    private static IResult Svg(HttpContext http, XDocument drawing)
    {
        http.Response.Headers.ContentSecurityPolicy = Drawings.Csp;
        http.Response.Headers.CacheControl = "private, no-cache";
        return Results.Text(drawing.ToString(SaveOptions.DisableFormatting), Drawings.MediaType + "; charset=utf-8");
    }
}
