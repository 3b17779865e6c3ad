using System.Text.Json.Nodes;
using Commons.Modules.Map.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Map.Api;

/// <summary>The map's member API on <c>/api/map</c>: each endpoint reads its input and calls <see cref="MapService"/>, which decides.</summary>
public static class MapApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var profile = api.MapGroup("/profile").WithTags("Map");
        profile.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MapService map) =>
                ProfileResponse.From(map.Profile(callers.Caller(http))))
            .Produces<ProfileResponse>().ProducesProblem(404)
            .WithSummary("The node's organisation profile (a record of its map.profile dataset). 404 no_profile when it has none yet.");
        profile.MapPut("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MapService map, ProfileBody body) =>
                ProfileResponse.From(map.PutProfile(callers.Caller(http), body.Data, body.Revision)))
            .Accepts<ProfileBody>("application/json").Produces<ProfileResponse>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(409)
            .ProducesProblem(412).ProducesProblem(413).ProducesProblem(422)
            .WithSummary("Create or replace the node's profile (editors of the profile dataset). 409 no_profile_dataset when the node has no map.profile dataset.");
        profile.MapGet("/murmurations", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MapService map) =>
                Results.Json(MurmurationsExport.Of(map.Profile(callers.Caller(http)))))
            .Produces<JsonObject>().ProducesProblem(404)
            .WithSummary("The profile in the Murmurations organisations schema (organizations_schema-v1.0.0); fields kept home are left out.");

        api.MapGet("/matches", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MapService map, string? listing) =>
                map.Matches(callers.Caller(http), listing).Select(MatchResponse.From).ToList())
            .WithTags("Map").Produces<List<MatchResponse>>().ProducesProblem(403)
            .WithSummary("For each of our open needs the offers that fit, and for each of our open offers the needs (from our replicas and from other organisations' listings kept here), best first, with the reasons; of one listing if asked.");

        DirectoryApi.Map(api);
        TilesApi.Map(api);
    }
}
