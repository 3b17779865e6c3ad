using System.Text;
using Commons.Modules.Place.Usage;
using Commons.Modules.Place.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        api.MapGet("/usage/elsewhere", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ElsewhereUsage usage, string? month) =>
                ElsewhereUsageResponse.From(await ReadElsewhereAsync(http, callers, usage, month)))
            .WithTags("Place").Produces<ElsewhereUsageResponse>().ProducesProblem(400).ProducesProblem(403)
            .WithSummary("This node's own usage of the places it follows in a Brussels month (YYYY-MM; this month when absent), as each place counts it in its usage view: per place hours, cost in € and credit units, late cancellations and the bookings, with their bills. A place that cannot be reached gives its last answer for the month (fresh false).");
        api.MapGet("/usage/elsewhere.csv", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ElsewhereUsage usage, string? month) =>
                Results.Text(UsageCsv.Write(await ReadElsewhereAsync(http, callers, usage, month), Language), UsageCsv.MediaType + "; header=present", Encoding.UTF8))
            .WithTags("Place").Produces(200, contentType: UsageCsv.MediaType).ProducesProblem(400).ProducesProblem(403)
            .WithSummary("The same as CSV (RFC 4180, a header line): one line per booking elsewhere.");
    }

    /// <summary>The page's download at <c>/place/usage.csv</c>, behind the browser sign-in like the page.</summary>
    public static void MapDownload(IEndpointRouteBuilder pages)
    {
        pages.MapGet("/usage.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] UsageReport usage, string? month) =>
        {
            var table = Read(http, callers, usage, month);
            return Results.File(Encoding.UTF8.GetBytes(UsageCsv.Write(table)), UsageCsv.MediaType + "; charset=utf-8; header=present", UsageCsv.FileName(table.Month));
        });
        pages.MapGet("/usage/elsewhere.csv", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ElsewhereUsage usage, string? month) =>
        {
            var table = await ReadElsewhereAsync(http, callers, usage, month);
            return Results.File(Encoding.UTF8.GetBytes(UsageCsv.Write(table, Language)), UsageCsv.MediaType + "; charset=utf-8; header=present", UsageCsv.ElsewhereFileName(table.Month));
        });
    }

    private static string Language => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is "fr" or "nl" ? System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : "en";

    private static Task<ElsewhereUsageTable> ReadElsewhereAsync(HttpContext http, ICallerAccessor callers, ElsewhereUsage usage, string? month) =>
        usage.OfAsync(callers.Caller(http), UsageMonth.Parse(month, usage.Now), http.RequestAborted);

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

public sealed record ElsewhereBookingResponse(
    string Booking, string Resource, string Start, string End, string State, bool Late, decimal Hours, decimal CostEur, decimal CostCredit,
    string? PaymentState, string? PaymentCode, decimal? PaymentAmount);

public sealed record ElsewherePlaceResponse(
    string Place, string Name, bool Fresh, DateTimeOffset? At, decimal Hours, decimal CostEur, decimal CostCredit, int LateCancellations, int Bookings,
    IReadOnlyList<ElsewhereBookingResponse> Items);

public sealed record ElsewhereUsageResponse(string Month, IReadOnlyList<ElsewherePlaceResponse> Places, decimal Hours, decimal CostEur, decimal CostCredit, int LateCancellations, int Bookings)
{
    public static ElsewhereUsageResponse From(ElsewhereUsageTable t) => new(t.Month.ToString(),
        t.Places.Select(p => new ElsewherePlaceResponse(p.Place, p.Name.In("en") ?? p.Place, p.Fresh, p.At, p.Hours, p.CostEur, p.CostCredit, p.LateCancellations, p.Bookings,
            p.Items.Select(i => new ElsewhereBookingResponse(i.Booking, i.Resource, Kinds.PlaceTime.Text(i.Start), Kinds.PlaceTime.Text(i.End), i.State, i.Late,
                i.Hours, i.CostEur, i.CostCredit, i.Payment?.State, i.Payment?.Code, i.Payment?.Amount)).ToList())).ToList(),
        t.Hours, t.CostEur, t.CostCredit, t.LateCancellations, t.Bookings);
}
