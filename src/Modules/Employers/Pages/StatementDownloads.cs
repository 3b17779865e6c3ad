using System.Text;
using Commons.Core.Errors;
using Commons.Modules.Employers.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Employers.Pages;

/// <summary>
/// The month page's downloads, behind the browser sign-in like the page: <c>/employers/months/{month}/statements/{member}.xml</c>
/// and <c>/employers/months/{month}/summary.xml</c>, the same signed XML as the API's. The service decides who reads them.
/// A refusal is a problem document with its code, whatever the browser asked for (it asks for HTML, which the node's
/// problem writer would not serve).
/// </summary>
public static class StatementDownloads
{
    private const string Xml = "application/xml; charset=utf-8";

    public static void Map(IEndpointRouteBuilder pages)
    {
        pages.MapGet("/months/{month}/statements/{member}.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month, string member) =>
            File(() => group.MemberStatement(callers.Caller(http), month, member), $"statement-{month}-{member}.xml"));
        pages.MapGet("/months/{month}/summary.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month) =>
            File(() => group.SummaryStatement(callers.Caller(http), month), $"summary-{month}.xml"));

        // A member's own statement (and the group's summary), fetched from the group's node and served only when it
        // checks against the key that node publishes.
        pages.MapGet("/memberships/{subscription}/statements/{month}.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string month, CancellationToken ct) =>
            Checked(() => groups.StatementAsync(callers.Caller(http), subscription, month, summary: false, ct), $"statement-{month}.xml"));
        pages.MapGet("/memberships/{subscription}/summaries/{month}.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string month, CancellationToken ct) =>
            Checked(() => groups.StatementAsync(callers.Caller(http), subscription, month, summary: true, ct), $"summary-{month}.xml"));
    }

    private static async Task<IResult> Checked(Func<Task<CheckedStatement>> fetch, string name)
    {
        try
        {
            var statement = await fetch();
            return statement.Valid
                ? Results.File(Encoding.UTF8.GetBytes(statement.Xml), Xml, name)
                : Problem(new OriginUnreachableException($"the group node's {statement.Kind} of {statement.Month} does not check: {statement.Detail}", statement.Code));
        }
        catch (CommonsException e)
        {
            return Problem(e);
        }
    }

    private static IResult File(Func<string> signed, string name)
    {
        try
        {
            return Results.File(Encoding.UTF8.GetBytes(signed()), Xml, name);
        }
        catch (CommonsException e)
        {
            return Problem(e);
        }
    }

    internal static IResult Problem(CommonsException e) => Results.Problem(e.Detail, statusCode: e switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        ForbiddenException => StatusCodes.Status403Forbidden,
        ValidationException => StatusCodes.Status400BadRequest,
        OriginUnreachableException => StatusCodes.Status502BadGateway,
        _ when e.Code == ProblemCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status409Conflict,
    }, title: e.Title, extensions: new Dictionary<string, object?> { ["code"] = e.Code });
}
