using Commons.Modules.Place.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Place.Api;

/// <summary>
/// <c>/api/place/elsewhere</c>: the places this node follows, their free time, and this member's bookings there. The
/// owner decides: a booking or cancellation is a request, answered 202 at once and decided later.
/// </summary>
public static class ElsewhereApi
{
    public static void Map(IEndpointRouteBuilder elsewhere)
    {
        elsewhere.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] RemotePlaces places) =>
                places.Places(callers.Caller(http)).Select(RemotePlaceResponse.From).ToList())
            .Produces<List<RemotePlaceResponse>>()
            .WithSummary("The places this node follows (accepted subscriptions to resources datasets) and their resources, as replicated here.");
        elsewhere.MapGet("/{subscription}/slots", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] RemotePlaces places,
                string subscription, string? resource, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
                (await places.SlotsAsync(callers.Caller(http), subscription, resource, from, to, ct)).Select(RemoteSlotsResponse.From).ToList())
            .Produces<List<RemoteSlotsResponse>>().ProducesProblem(400).ProducesProblem(502)
            .WithSummary("A followed place's free time per resource, asked of its owner now (now and 14 days on unless from/to say; 90 days at most). 502 origin_unreachable when it cannot be asked.");

        var bookings = elsewhere.MapGroup("/bookings");
        bookings.MapGet("", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] RemotePlaces places, CancellationToken ct) =>
                RemoteBookingsResponse.From(await places.MineAsync(callers.Caller(http), ct)))
            .Produces<RemoteBookingsResponse>()
            .WithSummary("The caller's bookings elsewhere, newest first, with the state each owner last gave; `unreachable` names the places shown as last known.");
        bookings.MapPost("", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] RemotePlaces places, RemoteBookingBody body, CancellationToken ct) =>
            {
                var sent = await places.BookAsync(callers.Caller(http), body.ToRequest(), ct);
                return Results.Accepted($"/api/place/elsewhere/bookings", RemoteRequestResponse.From(sent));
            })
            .Accepts<RemoteBookingBody>("application/json").Produces<RemoteRequestResponse>(202).ProducesProblem(400).ProducesProblem(403).ProducesProblem(422)
            .WithSummary("Ask a followed place to book one of its resources; its owner answers later (accepted, refused with the rule's code, or pending a steward).");
        bookings.MapPost("/{reference}/cancel", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] RemotePlaces places, string reference, CancellationToken ct) =>
                Results.Accepted($"/api/place/elsewhere/bookings", RemoteRequestResponse.From(await places.CancelAsync(callers.Caller(http), reference, ct))))
            .Produces<RemoteRequestResponse>(202).ProducesProblem(409)
            .WithSummary("Ask the owner to cancel one of the caller's bookings elsewhere (by its reference in the list); 409 booking_not_pending when it holds no time.");
    }
}
