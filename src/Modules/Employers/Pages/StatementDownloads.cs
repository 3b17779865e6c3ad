using System.Text;
using Commons.Modules.Employers.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Employers.Pages;

/// <summary>
/// The month page's downloads, behind the browser sign-in like the page: <c>/employers/months/{month}/statements/{member}.xml</c>
/// and <c>/employers/months/{month}/summary.xml</c>, the same signed XML as the API's. The service decides who reads them.
/// </summary>
public static class StatementDownloads
{
    private const string Xml = "application/xml; charset=utf-8";

    public static void Map(IEndpointRouteBuilder pages)
    {
        pages.MapGet("/months/{month}/statements/{member}.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month, string member) =>
            Results.File(Encoding.UTF8.GetBytes(group.MemberStatement(callers.Caller(http), month, member)), Xml, $"statement-{month}-{member}.xml"));
        pages.MapGet("/months/{month}/summary.xml", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] EmployersService group, string month) =>
            Results.File(Encoding.UTF8.GetBytes(group.SummaryStatement(callers.Caller(http), month)), Xml, $"summary-{month}.xml"));
    }
}
