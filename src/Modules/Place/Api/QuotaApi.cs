using Commons.Core.Governance;
using Commons.Modules.Place.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Commons.Modules.Place.Api;

/// <summary>A resource's monthly quota, a governed setting: <c>PUT /api/place/resources/{id}/quota</c> and its history.</summary>
public static class QuotaApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var quota = api.MapGroup("/resources/{id}/quota").WithTags("Place");
        quota.MapPut("", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceQuotaGovernance quotas, string id, QuotaBody body) =>
                new QuotaResponse(id, quotas.Change(callers.Caller(http), id, body.Hours, body.Decision)))
            .Accepts<QuotaBody>("application/json").Produces<QuotaResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Set (hours) or remove (no hours) a resource's monthly quota per organisation (a steward of its dataset). While a committee governs place.quota, only with `decision`, an adopted decision that authorises it for the resource's dataset: 422 decision_required, decision_not_adopted or decision_mismatch, nothing changed.");
        quota.MapGet("/history", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] PlaceQuotaGovernance quotas, string id) =>
                quotas.History(callers.Caller(http), id).Select(QuotaChangeResponse.From).ToList())
            .Produces<List<QuotaChangeResponse>>().ProducesProblem(404)
            .WithSummary("The changes of the quotas of the resource's dataset, newest first, each with the decision that authorised it; empty while nothing governs them.");
    }
}

/// <summary>The new quota in hours per organisation and Brussels month (none: no quota), and the authorising decision when governed.</summary>
public sealed record QuotaBody(int? Hours, string? Decision);

public sealed record QuotaResponse(string Resource, int? Hours);

/// <summary>One change of a governed quota: who, when, and the decision that authorised it.</summary>
public sealed record QuotaChangeResponse(string ChangedBy, DateTimeOffset At, string? Decision, string? DecisionTitle)
{
    public static QuotaChangeResponse From(GovernedChange c) => new(c.ChangedBy, c.At, c.DecisionRef, c.DecisionTitle);
}
