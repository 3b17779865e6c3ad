using Commons.Core.Errors;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Credit.Api;

/// <summary>Mutual credit's member API on <c>/api/credit</c>: each endpoint reads its input and calls <see cref="CreditService"/>, which decides.</summary>
public static class CreditApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var ledgers = api.MapGroup("/ledgers/{ledger}").WithTags("Credit");
        ledgers.MapGet("/balance", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, string ledger) =>
                Balance(credit, callers.Caller(http), ledger))
            .Produces<BalanceResponse>().ProducesProblem(409)
            .WithSummary("The account's balance, what pending payments reserve and pending bills expect, its chain head and limits, after settling what was answered. 409 ledger_not_joined.");
        ledgers.MapPost("/join", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, [FromServices] CreditGroups groups,
                string ledger, JoinBody body) =>
            {
                var caller = callers.Caller(http);
                var (group, account) = (Required(body.Group, "group"), Required(body.Account, "account"));
                if (body.GroupDataset is { Length: > 0 } remote) await groups.JoinAsync(caller, ledger, remote, group, account, http.RequestAborted);
                else await groups.JoinHereAsync(caller, ledger, group, account, http.RequestAborted);
                return Balance(credit, caller, ledger);
            })
            .Accepts<JoinBody>("application/json").Produces<BalanceResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(422).ProducesProblem(502)
            .WithSummary("Bind the ledger to an exchange group as one of its member accounts (a steward of the ledger): the group's terms fetched from its coordinating node's group dataset (groupDataset, its actor URL), or the group defined on this node when groupDataset is absent. 404 when the coordinating node shows this node no such group; 422 not_in_group; 502 origin_unreachable.");
        ledgers.MapGet("/transactions", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, string ledger) =>
                credit.History(callers.Caller(http), ledger).Select(TransactionResponse.From).ToList())
            .Produces<List<TransactionResponse>>()
            .WithSummary("The ledger's transactions, newest first (at most 200).");
        ledgers.MapGet("/transactions/{id}", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditHistory history, string ledger, string id) =>
                SignedTransactionResponse.From(await history.TransactionAsync(callers.Caller(http), ledger, id, http.RequestAborted)))
            .Produces<SignedTransactionResponse>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("One transaction with the payer's and the payee's signatures checked again now: verified, invalid (with why) or missing.");
        ledgers.MapGet("/audit", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditGroupAudit audit, string ledger) =>
                AuditResponse.From(await audit.AuditAsync(callers.Caller(http), ledger, http.RequestAborted)))
            .Produces<AuditResponse>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("The group audit from this ledger: every member's signed statement and transactions, both sides, both signatures, the sum, the limits and the chains; each failure names its member or transaction. 409 ledger_not_joined.");
        ledgers.MapPost("/pay", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, string ledger, PayBody body) =>
            {
                var t = await credit.PayAsync(callers.Caller(http), ledger, Required(body.Payee, "payee"), Required(body.Amount, "amount"), body.Memo, body.Compensates, http.RequestAborted);
                return Results.Created($"/api/credit/ledgers/{ledger}/transactions", TransactionResponse.From(t));
            })
            .Accepts<PayBody>("application/json").Produces<TransactionResponse>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Pay another member: reserved here, sent to the payee's node; completed when it accepts, refused with its code otherwise (state and reason say which). 409 below_lowest_limit; 422 with the broken rule's code.");
        ledgers.MapPost("/bill", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, string ledger, BillBody body) =>
            {
                var t = await credit.BillAsync(callers.Caller(http), ledger, Required(body.Payer, "payer"), Required(body.Amount, "amount"), body.Memo, http.RequestAborted);
                return Results.Created($"/api/credit/ledgers/{ledger}/transactions", TransactionResponse.From(t));
            })
            .Accepts<BillBody>("application/json").Produces<TransactionResponse>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Bill another member: pending until a member of the payer accepts or refuses. 409 above_highest_limit; 422 with the broken rule's code.");

        MembershipApi.Map(api);
        var groups = api.MapGroup("/groups/{groups}/{group}").WithTags("Credit");
        groups.MapPut("/limits", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditLimits limits, string groups, string group, LimitsBody body) =>
                LimitsResponse.From(group, limits.Change(callers.Caller(http), groups, group,
                    new LimitsChange(body.Lowest, body.Highest, body.Members?.Select(m => new MemberLimits(m.Actor, m.Lowest, m.Highest)).ToList(), body.Decision))))
            .Accepts<LimitsBody>("application/json").Produces<LimitsResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Change a group's limits and members' overrides (a steward of the groups' dataset). When a committee governs credit limits, only with the reference of an adopted decision that authorises it: 422 decision_required, decision_not_adopted or decision_mismatch, nothing changed. 422 limits_invalid, group_invalid, amount_precision.");
        groups.MapGet("/limits/history", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditLimits limits, string groups, string group) =>
                limits.History(callers.Caller(http), groups, group).Select(LimitsChangeResponse.From).ToList())
            .Produces<List<LimitsChangeResponse>>().ProducesProblem(404)
            .WithSummary("The group's changes of limits, newest first, each with the decision that authorised it; empty while nothing governs them.");

        var bills = api.MapGroup("/bills").WithTags("Credit");
        bills.MapPost("/accept", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, BillAnswerBody body) =>
                TransactionResponse.From(credit.AcceptBill(callers.Caller(http), Required(body.RequestId, "requestId"))))
            .Accepts<BillAnswerBody>("application/json").Produces<TransactionResponse>().ProducesProblem(400).ProducesProblem(409)
            .WithSummary("Accept a bill sent to this node: paid now within the lowest limit, the answer sent signed. 409 below_lowest_limit (the bill is then refused with it) or exchange_not_pending.");
        bills.MapPost("/refuse", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditService credit, BillAnswerBody body) =>
            {
                credit.RefuseBill(callers.Caller(http), Required(body.RequestId, "requestId"), body.Detail);
                return Results.NoContent();
            })
            .Accepts<BillAnswerBody>("application/json").Produces(204).ProducesProblem(400).ProducesProblem(409)
            .WithSummary("Refuse a bill sent to this node; nothing is stored. 409 exchange_not_pending.");
    }

    private static BalanceResponse Balance(CreditService credit, Core.Access.Caller caller, string ledger)
    {
        var (account, binding, group) = credit.Standing(caller, ledger);
        var me = group.Member(binding.Account)!;
        return new BalanceResponse(ledger, binding.Account, group.Symbol, Amounts.Text(account.Balance), Amounts.Text(account.Reserved),
            Amounts.Text(account.Expected), account.Count, account.Head, Amounts.Text(me.Lowest), Amounts.Text(me.Highest));
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw ValidationException.For(field, "required") : value;
}
