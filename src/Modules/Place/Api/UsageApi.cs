using System.Text;
using Commons.Modules.Place.Usage;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Place.Api;

/// <summary>The monthly usage report on <c>/api/place/usage</c> (JSON) and <c>/api/place/usage.csv</c>; the service decides which organisations the caller sees.</summary>
public static class UsageApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/usage", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] UsageReport usage, string? month) =>
                UsageResponse.From(Read(http, callers, usage, month)))
            .WithTags("Place").Produces<UsageResponse>().ProducesProblem(400).ProducesProblem(403)
            .WithSummary("The usage of the place in a Brussels calendar month (YYYY-MM; this month when absent) per booking organisation: hours, cost in € and credit units, late cancellations, bookings. Stewards (editors of the bookings) see every organisation, a member their own.");
        api.MapGet("/usage.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] UsageReport usage, string? month) =>
                Results.Text(UsageCsv.Write(Read(http, callers, usage, month)), UsageCsv.MediaType + "; header=present", Encoding.UTF8))
            .WithTags("Place").Produces(200, contentType: UsageCsv.MediaType).ProducesProblem(400).ProducesProblem(403)
            .WithSummary("The same report as CSV (RFC 4180, a header line): one line per organisation.");
    }

    /// <summary>The page's download at <c>/place/usage.csv</c>, behind the browser sign-in like the page.</summary>
    public static void MapDownload(IEndpointRouteBuilder pages) =>
        pages.MapGet("/usage.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] UsageReport usage, string? month) =>
        {
            var table = Read(http, callers, usage, month);
            return Results.File(Encoding.UTF8.GetBytes(UsageCsv.Write(table)), UsageCsv.MediaType + "; charset=utf-8; header=present", UsageCsv.FileName(table.Month));
        });

    private static UsageTable Read(HttpContext http, ICallerAccessor callers, UsageReport usage, string? month) =>
        usage.Of(callers.Caller(http), UsageMonth.Parse(month, usage.Now));
}

public sealed record UsageRowResponse(string OrganisationId, string Organisation, decimal Hours, decimal CostEur, decimal CostCredit, int LateCancellations, int Bookings)
{
    public static UsageRowResponse From(UsageRow r) =>
        new(r.Organisation.Id, r.Organisation.Name, r.Hours, r.CostEur, r.CostCredit, r.LateCancellations, r.Bookings);
}

public sealed record UsageResponse(string Month, string Starts, string Ends, IReadOnlyList<UsageRowResponse> Rows, UsageRowResponse Total)
{
    public static UsageResponse From(UsageTable t) => new(t.Month.ToString(), Kinds.PlaceTime.Text(t.Month.From), Kinds.PlaceTime.Text(t.Month.To),
        t.Rows.Select(UsageRowResponse.From).ToList(), UsageRowResponse.From(t.Total));
}
