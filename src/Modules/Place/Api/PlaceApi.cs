using Commons.Modules.Place.Requests;
using Commons.Modules.Place.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Place.Api;

/// <summary>The place's member API on <c>/api/place</c>: each endpoint reads its input and calls <see cref="PlaceService"/>, which decides.</summary>
public static class PlaceApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var resources = api.MapGroup("/resources").WithTags("Place");
        resources.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceService place, DateTimeOffset? from, DateTimeOffset? to) =>
                place.Resources(callers.Caller(http), from, to).Select(ResourceResponse.From).ToList())
            .Produces<List<ResourceResponse>>().ProducesProblem(400)
            .WithSummary("The place's resources the caller can see, each with the times it is booked (from now, 14 days, unless from/to say otherwise; at most 62 days).");
        resources.MapGet("/{id}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceService place, string id, DateTimeOffset? from, DateTimeOffset? to) =>
                ResourceResponse.From(place.Resource(callers.Caller(http), id, from, to)))
            .Produces<ResourceResponse>().ProducesProblem(400)
            .WithSummary("One resource and the times it is booked.");

        var bookings = api.MapGroup("/bookings").WithTags("Place");
        bookings.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceService place, string? resource) =>
                place.Bookings(callers.Caller(http), resource).Select(BookingResponse.From).ToList())
            .Produces<List<BookingResponse>>()
            .WithSummary("The caller's bookings (everyone's for those who may read the bookings dataset), latest start first; of one resource if asked.");
        bookings.MapGet("/{id}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceService place, string id) =>
                BookingResponse.From(place.FindBooking(callers.Caller(http), id)))
            .Produces<BookingResponse>()
            .WithSummary("One booking (its booker, or those who may read the bookings dataset).");
        bookings.MapPost("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceService place, BookingBody body) =>
            {
                var made = place.Book(callers.Caller(http), body.ToRequest());
                return Results.Created($"/api/place/bookings/{made.Id}", BookingResponse.From(made));
            })
            .Accepts<BookingBody>("application/json").Produces<BookingResponse>(201).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Book a resource. 409 booking_conflict when another booking holds part of the time; 422 with the broken rule's code otherwise.");
        bookings.MapPost("/{id}/cancel", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceService place, string id) =>
                BookingResponse.From(place.Cancel(callers.Caller(http), id)))
            .Produces<BookingResponse>().ProducesProblem(409)
            .WithSummary("Cancel a booking (its booker, or an editor of the bookings); the time is free again at once.");
        bookings.MapPost("/{id}/approve", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ApprovalService approvals, string id) =>
                BookingResponse.From(await approvals.ApproveAsync(callers.Caller(http), id, http.RequestAborted)))
            .Produces<BookingResponse>().ProducesProblem(403).ProducesProblem(409)
            .WithSummary("Approve a pending booking (an editor of the bookings): confirmed; a peer's request is answered, accepted.");
        bookings.MapPost("/{id}/refuse", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ApprovalService approvals, string id) =>
                BookingResponse.From(approvals.Refuse(callers.Caller(http), id)))
            .Produces<BookingResponse>().ProducesProblem(403).ProducesProblem(409)
            .WithSummary("Refuse a pending booking (an editor of the bookings): refused, its time free; a peer's request is answered refused_by_steward.");

        api.MapGet("/approvals", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ApprovalService approvals) =>
                approvals.Pending(callers.Caller(http)).Select(p => BookingResponse.From(p.View)).ToList())
            .WithTags("Place").Produces<List<BookingResponse>>()
            .WithSummary("The bookings waiting for a steward's approval, soonest first (empty for those who may not approve).");

        ElsewhereApi.Map(api.MapGroup("/elsewhere").WithTags("Place"));
        QuotaApi.Map(api);
    }
}
