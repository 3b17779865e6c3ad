using System.Text;
using Commons.Core.Errors;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Credit.Accounts;

/// <summary>The month's statement as a CSV file beside the pages (<c>/credit/statement.csv?ledger=&amp;month=yyyy-MM</c>), behind the browser sign-in.</summary>
public static class StatementDownload
{
    public static void Map(IEndpointRouteBuilder pages) =>
        pages.MapGet("/statement.csv", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditAccounts accounts,
            [FromServices] TimeProvider clock, string? ledger, string? month) =>
        {
            var caller = callers.Caller(http);
            var chosen = accounts.Chosen(caller, ledger) ?? throw new NotFoundException("no ledger of this node that joined an exchange group");
            if (ledger is not null && ledger != chosen) throw new NotFoundException($"no joined ledger '{ledger}'");
            var statement = accounts.StatementOf(caller, chosen, StatementMonth.Parse(month, clock.GetUtcNow()));
            return Results.File(Encoding.UTF8.GetBytes(StatementCsv.Write(statement)), StatementCsv.MediaType + "; charset=utf-8; header=present",
                StatementCsv.FileName(chosen, statement.Month));
        });
}
