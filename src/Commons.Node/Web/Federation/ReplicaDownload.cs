using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Federation.Following;
using Commons.Federation.Http;
using Commons.Federation.Replication;
using Commons.Node.Auth;

namespace Commons.Node.Web.Federation;

/// <summary>
/// <c>GET /subscriptions/{id}/export</c>: the replica export of the API (<see cref="ReplicaExport"/>: every record as the
/// origin signed it, with the origin's keys) as a file to download from a browser session, checkable offline with
/// <c>commons-node replica check FILE</c>.
/// </summary>
public static class ReplicaDownload
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/subscriptions/{id}/export", async (HttpContext http, string id, SubscriptionService subscriptions) =>
        {
            try
            {
                var doc = await subscriptions.ExportAsync(http.Caller(), id, http.RequestAborted);
                var json = doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                return Results.File(Encoding.UTF8.GetBytes(json), "application/json", $"replica-{id}.json");
            }
            catch (NotFoundException)
            {
                return Results.NotFound();
            }
            catch (Exception e) when (e is RemoteActorException or FederationHttpException or HttpRequestException)
            {
                // The export carries the origin's published keys: without them it could not be checked offline.
                return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Origin unreachable",
                    detail: $"the origin's keys could not be fetched: {e.Message}");
            }
        }).RequireAuthorization(WebUi.Policy).ExcludeFromDescription();
}
