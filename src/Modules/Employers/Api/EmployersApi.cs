using System.Text;
using Commons.Modules.Employers.Allocation;
using Commons.Modules.Employers.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Employers.Api;

/// <summary>The group's member API on <c>/api/employers</c>: each endpoint reads its input and calls <see cref="EmployersService"/>, which decides.</summary>
public static class EmployersApi
{
    private const string Xml = "application/xml";

    public static void Map(IEndpointRouteBuilder api)
    {
        var months = api.MapGroup("/months").WithTags("Employers");
        months.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group) =>
                group.ClosedMonths(callers.Caller(http)).ToList())
            .Produces<List<string>>().ProducesProblem(409)
            .WithSummary("The group's closed months (YYYY-MM), oldest first.");
        months.MapGet("/{month}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month) =>
                group.Closed(callers.Caller(http), month))
            .Produces<ClosedMonth>().ProducesProblem(400).ProducesProblem(409)
            .WithSummary("A closed month: each worker's cost split among the members, to the cent.");
        months.MapPost("/{month}/close", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month) =>
                group.CloseMonth(callers.Caller(http), month))
            .Produces<ClosedMonth>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(409)
            .WithSummary("Close a month (a steward of the group's settings dataset): the allocation is computed and kept; later hours for the month are refused (month_closed).");
        months.MapGet("/{month}/statements/{member}.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month, string member) =>
                Results.Text(group.MemberStatement(callers.Caller(http), month, member), Xml, Encoding.UTF8))
            .Produces<string>(200, Xml).ProducesProblem(400).ProducesProblem(409)
            .WithSummary("A member's statement of a closed month, XML signed with XMLDSig by the group node's key; the member is named by its node's host (its actor URL's authority).");
        months.MapGet("/{month}/summary.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month) =>
                Results.Text(group.SummaryStatement(callers.Caller(http), month), Xml, Encoding.UTF8))
            .Produces<string>(200, Xml).ProducesProblem(400).ProducesProblem(409)
            .WithSummary("The group's summary of a closed month, XML signed with XMLDSig by the group node's key.");
    }
}
