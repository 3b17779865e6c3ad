using System.Text;
using Commons.Core.Errors;
using Commons.Modules.Credit.Accounts;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Credit.Statements;

/// <summary>A statement to check, as its text.</summary>
public sealed record StatementVerifyBody(string? Xml);

/// <summary>What checking a statement found: valid or not with its code, the signing key's fingerprint, and what the statement says it is.</summary>
public sealed record StatementVerifyResponse(bool Valid, string Code, string Detail, string? KeyFingerprint, string? Account, string? Month);

/// <summary>
/// The signed XML month statement on <c>/api/credit</c>, and the check of one another member published; beside the
/// page download <c>/credit/statement.xml</c> (<see cref="Map"/> for the API, <see cref="MapPages"/> for the pages').
/// </summary>
public static class StatementXmlApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Credit");
        group.MapGet("/ledgers/{ledger}/statements/{month}.xml", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditStatements statements,
                [FromServices] TimeProvider clock, string ledger, string month) =>
            {
                var signed = await statements.SignedAsync(callers.Caller(http), ledger, StatementMonth.Parse(month, clock.GetUtcNow()), http.RequestAborted);
                return Results.Text(signed.Xml, CreditStatementXml.MediaType, Encoding.UTF8);
            })
            .Produces<string>(200, CreditStatementXml.MediaType).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("The ledger's month statement (month YYYY-MM, Brussels bounds) as XML signed with XMLDSig (RSA-SHA256) by this node's key: account, unit, opening balance, every completed transaction with both proofs' status, closing balance, the euro worth as informative. 400 validation_failed; 409 ledger_not_joined.");
        group.MapPost("/statements/verify", async ([FromServices] CreditStatements statements, StatementVerifyBody body, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.Xml)) throw ValidationException.For("xml", "required");
                var verdict = await statements.VerifyAsync(body.Xml, ct);
                var root = verdict.Form is null ? null : TryRoot(body.Xml);
                return new StatementVerifyResponse(verdict.Valid, verdict.Code, verdict.Detail, verdict.KeyFingerprint, root?.GetAttribute("account"), root?.GetAttribute("month"));
            })
            .Accepts<StatementVerifyBody>("application/json").Produces<StatementVerifyResponse>().ProducesProblem(400)
            .WithSummary("Check a mutual credit statement another member published against the RSA key its account's actor document publishes: valid, or invalid with its code (statement_foreign_key, signature_invalid, statement_malformed, statement_unverifiable, …).");
    }

    /// <summary><c>/credit/statement.xml?ledger=&amp;month=yyyy-MM</c> beside the CSV, behind the browser sign-in.</summary>
    public static void MapPages(IEndpointRouteBuilder pages) =>
        pages.MapGet("/statement.xml", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditAccounts accounts,
            [FromServices] CreditStatements statements, [FromServices] TimeProvider clock, string? ledger, string? month) =>
        {
            var caller = callers.Caller(http);
            var chosen = accounts.Chosen(caller, ledger) ?? throw new NotFoundException("no ledger of this node that joined an exchange group");
            if (ledger is not null && ledger != chosen) throw new NotFoundException($"no joined ledger '{ledger}'");
            var signed = await statements.SignedAsync(caller, chosen, StatementMonth.Parse(month, clock.GetUtcNow()), http.RequestAborted);
            return Results.File(Encoding.UTF8.GetBytes(signed.Xml), CreditStatementXml.MediaType + "; charset=utf-8", signed.FileName);
        });

    private static System.Xml.XmlElement? TryRoot(string xml)
    {
        try { return Platform.Statements.XmlStatementSignature.Load(xml).DocumentElement; }
        catch (System.Xml.XmlException) { return null; }
    }
}
