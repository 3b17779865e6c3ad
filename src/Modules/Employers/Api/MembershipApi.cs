using System.Text;
using Commons.Core.Errors;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Employers.Api;

/// <summary>
/// <c>/api/employers/memberships</c>: the member's side, on a member organisation's own node. The groups it follows, what
/// each tells it, the hours it sends (requests the group node answers later: 202 at once) and its statements, checked
/// against the group node's published key. Each endpoint reads its input and calls <see cref="MemberGroups"/>, which decides.
/// </summary>
public static class MembershipApi
{
    private const string Xml = "application/xml";

    public static void Map(IEndpointRouteBuilder api)
    {
        var memberships = api.MapGroup("/memberships").WithTags("Employers");
        memberships.MapGet("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups) =>
                groups.Groups(callers.Caller(http)).ToList())
            .Produces<List<MemberGroup>>()
            .WithSummary("The employers' groups this node is a member of: accepted subscriptions to a group's settings dataset.");
        memberships.MapGet("/{subscription}", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, CancellationToken ct) =>
                await groups.MembershipAsync(callers.Caller(http), subscription, ct))
            .Produces<Membership>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(502)
            .WithSummary("What the group node tells this member: its workers assigned here, the closed months, where hours go. The last known answer (fresh false) while the group node cannot be reached; 403 not_a_member when it does not count this node.");
        memberships.MapGet("/{subscription}/hours", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string? month) =>
                groups.Hours(callers.Caller(http), subscription, month).ToList())
            .Produces<List<SentHours>>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The hours this node sent to the group, newest first, each with the group's answer (pending, accepted, refused with the rule's code, expired); one month's when named.");
        memberships.MapGet("/{subscription}/hours/{reference}", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string reference) =>
                groups.SentHours(callers.Caller(http), subscription, reference))
            .Produces<SentHours>().ProducesProblem(404)
            .WithSummary("One sent hours' state, by its reference.");
        memberships.MapPost("/{subscription}/hours", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, HoursEntry body, CancellationToken ct) =>
            {
                var sent = await groups.SendHoursAsync(callers.Caller(http), subscription, body, ct);
                return Results.Accepted($"/api/employers/memberships/{subscription}/hours/{sent.Ref}", sent);
            })
            .Accepts<HoursEntry>("application/json").Produces<SentHours>(202).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(502)
            .WithSummary("Send the hours one worker worked for this organisation in a month; the group node answers later (accepted, or refused with the rule's code: worker_not_assigned, month_closed, hours_over_contract, …). Sending a month again replaces it.");
        memberships.MapGet("/{subscription}/statements/{month}", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string month, CancellationToken ct) =>
                await groups.StatementAsync(callers.Caller(http), subscription, month, summary: false, ct))
            .Produces<CheckedStatement>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(502)
            .WithSummary("This member's statement of a closed month, fetched from the group node and checked against the RSA key the group node publishes: valid, or invalid with its code (statement_foreign_key, signature_invalid, …).");
        memberships.MapGet("/{subscription}/statements/{month}.xml", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string month, CancellationToken ct) =>
                Results.Text(Checked(await groups.StatementAsync(callers.Caller(http), subscription, month, summary: false, ct)).Xml, Xml, Encoding.UTF8))
            .Produces<string>(200, Xml).ProducesProblem(400).ProducesProblem(404).ProducesProblem(502)
            .WithSummary("This member's signed statement as the group node signed it, served only when it checks against the group node's published key (502 statement_not_verified otherwise).");
        memberships.MapGet("/{subscription}/summaries/{month}.xml", async (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] MemberGroups groups, string subscription, string month, CancellationToken ct) =>
                Results.Text(Checked(await groups.StatementAsync(callers.Caller(http), subscription, month, summary: true, ct)).Xml, Xml, Encoding.UTF8))
            .Produces<string>(200, Xml).ProducesProblem(400).ProducesProblem(404).ProducesProblem(502)
            .WithSummary("The group's signed summary of a closed month, for its members, served only when it checks against the group node's published key.");
    }

    private static CheckedStatement Checked(CheckedStatement statement) =>
        statement.Valid ? statement : throw new OriginUnreachableException($"the group node's {statement.Kind} of {statement.Month} does not check: {statement.Detail} ({statement.Code})", EmployersCodes.StatementNotVerified);
}
