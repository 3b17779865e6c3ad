using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services.Membership;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Credit.Api;

/// <summary>A group to join by its coordinating node's group dataset: its handle (<c>groups@host</c>) or URL, and the group's id when that node lists this one in several.</summary>
public sealed record GroupJoinBody(string? Address, string? Group);

/// <summary>One member of a group as an offer shows it: its node actor, its ledger, its limits (decimal text).</summary>
public sealed record OfferMemberResponse(string Actor, string Ledger, string Lowest, string Highest);

/// <summary>A group as its coordinating node offers it to this node before joining: the unit, the limits, the timeout, the euro worth, this node's account and ledger.</summary>
public sealed record GroupOfferResponse(string? GroupDataset, string Group, string Account, string Ledger, bool LedgerExists, string UnitName, string Symbol, int Precision,
    string Lowest, string Highest, string OwnLowest, string OwnHighest, int TransferTimeoutMinutes, string? EuroValue, IReadOnlyList<OfferMemberResponse> Members)
{
    public static GroupOfferResponse From(GroupOffer o)
    {
        var t = o.Terms;
        return new GroupOfferResponse(o.GroupDataset, o.Group, o.Account, o.LedgerSlug, o.LedgerExists, o.UnitName.En ?? o.UnitName.Fr ?? o.UnitName.Nl ?? t.Symbol,
            t.Symbol, t.Precision, Amounts.Text(t.Lowest), Amounts.Text(t.Highest), Amounts.Text(o.Own.Lowest), Amounts.Text(o.Own.Highest),
            (int)t.TransferTimeout.TotalMinutes, t.EuroValue is { } e ? Amounts.Text(e) : null,
            t.Members.Select(m => new OfferMemberResponse(m.Actor, m.Ledger, Amounts.Text(m.Lowest), Amounts.Text(m.Highest))).ToList());
    }
}

/// <summary>One other member's ledger as this node follows it: accepted, pending, rejected, ended, stopped, or none yet.</summary>
public sealed record FollowedLedgerResponse(string Ledger, string State);

/// <summary>
/// A joined ledger's membership: the group, where it is defined (null: on this node), the account, the hosts the ledger
/// is shared with, each other member's ledger with our follow's state, when the last pass ran and its problem's code.
/// </summary>
public sealed record MembershipResponse(string Ledger, string Group, string? GroupDataset, string Account, IReadOnlyList<string> SharedWith,
    IReadOnlyList<FollowedLedgerResponse> Following, DateTimeOffset? CheckedAt, string? Problem, string? ProblemDetail)
{
    public static MembershipResponse From(MembershipState m, CreditMembership membership) => new(m.Ledger, m.Group, m.GroupDataset, m.Account, m.SharedHosts,
        m.Followed.Select(l => new FollowedLedgerResponse(l, membership.FollowState(l))).ToList(), m.CheckedAt, m.Problem, m.ProblemDetail);
}

/// <summary>Joining an exchange group by its address, and the joined groups' state, on <c>/api/credit/groups</c>.</summary>
public static class MembershipApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("Credit");
        groups.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditMembership membership) =>
                membership.List(callers.Caller(http)).Select(m => MembershipResponse.From(m, membership)).ToList())
            .Produces<List<MembershipResponse>>()
            .WithSummary("The exchange groups this node's ledgers joined, each with the hosts its ledger is shared with, the other members' ledgers and our follow's state, and the last pass's problem (origin_unreachable, not_listed …).");
        groups.MapGet("/offer", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditMembership membership, string? address, string? group) =>
                GroupOfferResponse.From(await membership.OfferAsync(callers.Caller(http), address ?? "", group, http.RequestAborted)))
            .Produces<GroupOfferResponse>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(422).ProducesProblem(502)
            .WithSummary("The group the coordinating node at address (the group dataset's handle or URL) offers this node, to read before joining: unit, limits, timeout, euro worth, this node's account and ledger (an administrator). 422 not_listed or ledger_not_here; 400 when the address names no dataset; 502 origin_unreachable.");
        groups.MapPost("/join", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditMembership membership, GroupJoinBody body) =>
            {
                var joined = await membership.JoinAsync(callers.Caller(http), body.Address ?? "", body.Group, http.RequestAborted);
                return Results.Created($"/api/credit/ledgers/{joined.Ledger}/balance", MembershipResponse.From(joined, membership));
            })
            .Accepts<GroupJoinBody>("application/json").Produces<MembershipResponse>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422).ProducesProblem(502)
            .WithSummary("Join the group offered at address (an administrator): the ledger the group lists for this node (created when missing) is bound to it, shared peers with the other members' nodes, and every other member's ledger is followed; later changes of the group reach this node at each membership pass. 409 already_joined; 422 not_listed or ledger_not_here; 502 origin_unreachable.");
        groups.MapPost("/refresh", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CreditMembership membership) =>
            {
                var caller = callers.Caller(http);
                await membership.RefreshAsync(caller, http.RequestAborted);
                return membership.List(caller).Select(m => MembershipResponse.From(m, membership)).ToList();
            })
            .Produces<List<MembershipResponse>>().ProducesProblem(403)
            .WithSummary("Apply every membership again now (an administrator): the group's terms read again, the ledger's sharing and the follows brought in line, as the pass does every minute.");
    }
}
