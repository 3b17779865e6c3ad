using Commons.Modules.Map.Tiles;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Map.Api;

/// <summary>
/// The map's tile server on <c>/api/map/tiles</c>: read by members, set or removed by administrators
/// (<see cref="TileSettings"/> decides). None by default; when set, /map/drawing draws the map over its tiles.
/// </summary>
public static class TilesApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var tiles = api.MapGroup("/tiles").WithTags("Map");
        tiles.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] TileSettings settings) =>
                new TileSettingResponse(settings.Get(callers.Caller(http)) is { } server ? TileServerResponse.From(server) : null))
            .Produces<TileSettingResponse>().ProducesProblem(403)
            .WithSummary("The tile server the map is drawn over (null: none, the schematic map only).");
        tiles.MapPut("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] TileSettings settings, TileServerBody body) =>
                TileServerResponse.From(settings.Set(callers.Caller(http), body.UrlTemplate, body.Attribution)))
            .Accepts<TileServerBody>("application/json").Produces<TileServerResponse>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(422)
            .WithSummary("Administrators: draw the map over this tile server (urlTemplate https with {z}, {x} and {y}; http only on loopback; attribution shown under the map); pages then admit its origin in img-src. 422 invalid_tile_server.");
        tiles.MapDelete("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] TileSettings settings) =>
            {
                settings.Clear(callers.Caller(http));
                return Results.NoContent();
            })
            .Produces(204).ProducesProblem(403)
            .WithSummary("Administrators: no tile server any more; the map is the schematic one, and pages admit no other image origin.");
    }
}

/// <summary>A tile server to use: its address template and the attribution its licence asks for.</summary>
public sealed record TileServerBody(string? UrlTemplate, string? Attribution);

/// <summary>The configured tile server, the origin pages load its tiles from, who set it and when.</summary>
public sealed record TileServerResponse(string UrlTemplate, string Attribution, string Origin, string SetBy, DateTimeOffset SetAt)
{
    public static TileServerResponse From(TileServer s) => new(s.UrlTemplate, s.Attribution, s.Origin, s.SetBy, s.SetAt);
}

/// <summary>The tile server; null when none is configured.</summary>
public sealed record TileSettingResponse(TileServerResponse? TileServer);
