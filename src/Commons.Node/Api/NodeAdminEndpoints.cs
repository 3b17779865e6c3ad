using Commons.Core.Datasets;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Http;

namespace Commons.Node.Api;

/// <summary>The organisation the node belongs to, as its members see it on the dashboard.</summary>
public sealed record NodeProfileResponse(string Name, LocalizedText Description)
{
    public static NodeProfileResponse From(NodeProfile p) => new(p.Name, p.Description);
}

/// <summary>What to change: a missing or null <c>name</c> or <c>description</c> is kept; in a description, an empty language is cleared.</summary>
public sealed record NodeProfileBody(string? Name, LocalizedText? Description);

/// <summary>The node's name and description, set by an administrator.</summary>
public static class NodeAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/node").WithTags("Administration");
        group.MapGet("", (HttpContext http, NodeProfileService profiles) => NodeProfileResponse.From(profiles.GetForChange(http.Caller())))
            .WithSummary("The node's name and the organisation's description in fr, nl and en (administrators).");

        group.MapPut("", async (HttpContext http, NodeProfileService profiles) =>
        {
            var caller = http.Caller();
            // Rights before the body: a non-administrator's request is refused whatever it carries.
            NodeProfileService.RequireAdministrator(caller);
            var body = await JsonBody.ReadAsync<NodeProfileBody>(http);
            return NodeProfileResponse.From(profiles.Change(caller, body.Name, body.Description));
        }).Accepts<NodeProfileBody>("application/json").Produces<NodeProfileResponse>()
          .WithSummary("Change the node's name or the organisation's description; shown to members on the dashboard (administrators).");
    }
}
