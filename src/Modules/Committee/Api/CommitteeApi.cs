using Commons.Core.Errors;
using Commons.Modules.Committee.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Committee.Api;

/// <summary>The committee's member API on <c>/api/committee</c>: each endpoint reads its input and calls <see cref="CommitteeService"/>, which decides.</summary>
public static class CommitteeApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var votes = api.MapGroup("/votes").WithTags("Committee");
        votes.MapPost("", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee, VoteBody body) =>
            {
                var sent = await committee.VoteAsync(callers.Caller(http), Required(body.Target, "target"), Required(body.Proposal, "proposal"),
                    Required(body.Option, "option"), body.Reason, http.RequestAborted);
                return Results.Accepted("/api/committee/votes", BallotResponse.From(sent));
            })
            .Accepts<VoteBody>("application/json").Produces<BallotResponse>(202).ProducesProblem(400).ProducesProblem(403)
            .WithSummary("Cast this node's ballot on a proposal of a committee it belongs to, as the organisation (administrators): a committee.vote request signed by this node; a later ballot replaces it until closing. The coordinator's answer comes back on the exchange: accepted, or refused with voting_closed, voting_not_open, not_a_member or unknown_option.");
        votes.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee) =>
                committee.MyBallots(callers.Caller(http), 200).Select(BallotResponse.From).ToList())
            .Produces<List<BallotResponse>>().ProducesProblem(403)
            .WithSummary("This node's ballots sent, newest first (at most 200), with the coordinator's answers (administrators).");

        var proposals = api.MapGroup("/proposals/{dataset}/{id}").WithTags("Committee");
        proposals.MapGet("/results", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee, string dataset, string id) =>
                committee.Results(callers.Caller(http), dataset, id))
            .Produces<ProposalResults>().ProducesProblem(403)
            .WithSummary("A proposal's results on the coordinating node: with hidden results, nothing of the votes (not a count) before closing; otherwise the counts by weight; the outcome once decided. 404 proposal_unknown.");
        proposals.MapPost("/close", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee, string dataset, string id) =>
                DecisionResponse.From(committee.Close(callers.Caller(http), dataset, id)))
            .Produces<DecisionResponse>().ProducesProblem(403).ProducesProblem(409)
            .WithSummary("Close a proposal at or after its closing time (stewards of the proposals dataset): the tally, signed with every ballot, goes into the committee's decisions. Closing again gives the same decision. 409 voting_open.");

        var decisions = api.MapGroup("/decisions").WithTags("Committee");
        decisions.MapGet("/{id}/recount", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee, string id) =>
                await committee.RecountAsync(callers.Caller(http), id, http.RequestAborted))
            .Produces<RecountReport>().ProducesProblem(403)
            .WithSummary("Recount a decision kept on this node or replicated from a followed decisions dataset: the tally's and every ballot's signature, membership, one ballot per member, and the outcome computed again. A failure names the ballot.");
        decisions.MapPut("/{dataset}/{id}/follow-up", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee, string dataset, string id, FollowUpBody body) =>
                DecisionResponse.From(committee.FollowUp(callers.Caller(http), dataset, id, body.Owner,
                    body.Due?.Select(d => (Required(d.Date, "due/date"), d.What)).ToList(), body.Status)))
            .Accepts<FollowUpBody>("application/json").Produces<DecisionResponse>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(409)
            .WithSummary("Record a decision's follow-up (stewards of the decisions dataset): its owner organisation, due dates and status. 409 decision_final when anything else would change.");

        var followUps = api.MapGroup("/followups").WithTags("Committee");
        followUps.MapPost("", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeFollowUps followUp, FollowUpUpdateBody body) =>
            {
                var sent = await followUp.UpdateAsync(callers.Caller(http), Required(body.Decision, "decision"), body.Status,
                    body.Due?.Select(d => new Kinds.DueDate(Required(d.Date, "due/date"), d.What)).ToList(), http.RequestAborted);
                return Results.Accepted("/api/committee/followups", FollowUpSentResponse.From(sent));
            })
            .Accepts<FollowUpUpdateBody>("application/json").Produces<FollowUpSentResponse>(202).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Update the follow-up of an adopted decision this node owns (administrators): its status (planned, in_progress, done, dropped) and/or due dates, sent as a committee.followup request signed by this node to the coordinator's decisions dataset, which writes the decision. 403 not_the_owner, 404 decision_unknown, 409 followup_not_allowed; the coordinator's answer comes back on the exchange.");
        followUps.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeFollowUps followUp) =>
                followUp.Sent(callers.Caller(http), 200).Select(FollowUpSentResponse.From).ToList())
            .Produces<List<FollowUpSentResponse>>().ProducesProblem(403)
            .WithSummary("This node's follow-up updates sent, newest first (at most 200), with the coordinator's answers (administrators).");

        api.MapGet("/governance/{setting}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] CommitteeService committee, string setting, string? scope) =>
                committee.History(callers.Caller(http), setting, scope ?? "*")
                    .Select(c => new GovernedChangeResponse(c.Setting, c.Scope, c.ChangedBy, c.At, c.DecisionRef, c.DecisionTitle)).ToList())
            .WithTags("Committee").Produces<List<GovernedChangeResponse>>()
            .WithSummary("A governed setting's history for a scope, newest first (at most 200): who changed it, when, and the decision that authorised it.");
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw ValidationException.For(field, "required") : value;
}
