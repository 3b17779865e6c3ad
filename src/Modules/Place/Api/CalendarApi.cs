using System.Security.Cryptography;
using System.Text;
using Commons.Modules.Place.Calendar;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Place.Api;

/// <summary>
/// The calendar feeds: managed on <c>/api/place/calendars</c> (the service decides who may), read without sign-in at
/// <c>/place/public/calendars/{token}.ics</c> by calendar programs, which send no cookie.
/// </summary>
public static class CalendarApi
{
    public const string CacheControl = "private, max-age=300";

    public static void Map(IEndpointRouteBuilder api)
    {
        var calendars = api.MapGroup("/calendars").WithTags("Place");
        calendars.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CalendarFeeds feeds) =>
                feeds.Manageable(callers.Caller(http)).Select(FeedResponse.From).ToList())
            .Produces<List<FeedResponse>>()
            .WithSummary("The calendar feeds the caller manages (a resource's: stewards of its dataset; the organisation's: its members); never their tokens.");
        calendars.MapPost("/{kind}/{id}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CalendarFeeds feeds, string kind, string id, string? language) =>
                IssuedFeedResponse.From(feeds.Issue(callers.Caller(http), new FeedTarget(kind, id), language), http.Request))
            .Produces<IssuedFeedResponse>().ProducesProblem(400).ProducesProblem(403)
            .WithSummary("Make the feed's secret URL (kind resource or organisation; language fr, nl or en), or a new one: the old URL answers 404 at once. The URL is shown only in this answer.");
        calendars.MapDelete("/{kind}/{id}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CalendarFeeds feeds, string kind, string id) =>
            {
                feeds.Stop(callers.Caller(http), new FeedTarget(kind, id));
                return Results.NoContent();
            })
            .Produces(204).ProducesProblem(403)
            .WithSummary("Stop the feed: its URL answers 404 from now on.");
    }

    /// <summary>The feed itself: no sign-in, the token in the path is the key; any other token is a plain 404.</summary>
    public static void MapPublic(IEndpointRouteBuilder anonymous) =>
        anonymous.MapGet("/calendars/{token}.ics", async (HttpContext http, [FromServices] CalendarFeeds feeds, string token, string? lang) =>
        {
            var feed = await feeds.ReadAsync(token, lang, http.RequestAborted) ?? throw new Core.Errors.NotFoundException("no calendar at this address");
            var body = Encoding.UTF8.GetBytes(feed.Text);
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
            http.Response.Headers.CacheControl = CacheControl;
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim()).Contains(etag)))
                return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(body, FeedCalendar.MediaType + "; charset=utf-8");
        });
}

public sealed record FeedResponse(string Kind, string Id, string Name, bool Active, string? Language, DateTimeOffset? Since, string? By)
{
    public static FeedResponse From(FeedView v) => new(v.Target.Kind, v.Target.Id, v.Name.In("en") ?? v.Target.Id, v.Active, v.Language, v.Since, v.By);
}

public sealed record IssuedFeedResponse(string Kind, string Id, string Language, string Url)
{
    public static IssuedFeedResponse From(IssuedFeed f, HttpRequest request) => new(f.Target.Kind, f.Target.Id, f.Language, FeedUrl(request, f.Token));

    /// <summary>The feed's absolute URL on the address the member reached this node by.</summary>
    public static string FeedUrl(HttpRequest request, string token) => $"{request.Scheme}://{request.Host}/place/public/calendars/{token}.ics";
}
