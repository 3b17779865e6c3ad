using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Node.Auth;
using Commons.Node.Http;

namespace Commons.Node.Federation;

/// <summary>A domain rule as the API shows it: normalised name, readable name, and whether it comes from the configuration.</summary>
public sealed record DomainRuleResponse(string Domain, string Display, DomainRuleSource Source);

/// <summary>The federation rules in force; <c>modeSource</c> says whether the mode is the configured one.</summary>
public sealed record FederationRulesResponse(
    FederationMode Mode, DomainRuleSource ModeSource, FederationMode ConfiguredMode,
    IReadOnlyList<DomainRuleResponse> BlockedDomains, IReadOnlyList<DomainRuleResponse> AllowedDomains)
{
    public static FederationRulesResponse From(EffectiveDomainRules r) => new(r.Mode, r.ModeSource, r.ConfiguredMode,
        r.Blocked.Select(e => new DomainRuleResponse(e.Domain, e.Display, e.Source)).ToList(),
        r.Allowed.Select(e => new DomainRuleResponse(e.Domain, e.Display, e.Source)).ToList());
}

/// <summary>
/// The runtime rules to store: <c>mode</c> null goes back to the configured mode; the lists replace the runtime entries
/// (configured entries always apply and need not be repeated; a missing list is an empty one).
/// </summary>
public sealed record RetriedResponse(int Retried);

public sealed record FederationRulesBody(FederationMode? Mode, IReadOnlyList<string?>? BlockedDomains, IReadOnlyList<string?>? AllowedDomains);

/// <summary>Node administration beside the delivery listing: the federation's domain rules, and what to do with dead letters.</summary>
public static class AdminApiEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var federation = api.MapGroup("/admin/federation").WithTags("Administration");
        federation.MapGet("", (HttpContext http, DomainRuleService rules) => FederationRulesResponse.From(rules.Rules(http.Caller())))
            .WithSummary("The federation mode and the blocked and allowed domains, each from the configuration or set at runtime (administrators).");

        federation.MapPut("", async (HttpContext http, DomainRuleService rules) =>
        {
            var caller = http.Caller();
            // Rights before the body: a non-administrator's request is refused whatever it carries.
            DomainRuleService.RequireAdministrator(caller);
            var body = await JsonBody.ReadAsync<FederationRulesBody>(http);
            rules.Replace(caller, body.Mode, body.BlockedDomains ?? [], body.AllowedDomains ?? []);
            return FederationRulesResponse.From(rules.Rules(caller));
        }).Accepts<FederationRulesBody>("application/json").Produces<FederationRulesResponse>().ProducesProblem(409)
            .WithSummary("Replace the runtime mode and domains; applies to the next inbox request, delivery and fetch (administrators).");

        var deliveries = api.MapGroup("/admin/deliveries").WithTags("Administration");
        deliveries.MapPost("/retry-dead", (HttpContext http, DeliveryAdmin admin) => new RetriedResponse(admin.RetryAllDead(http.Caller())))
            .WithSummary("Retry every dead letter now (administrators).");

        deliveries.MapDelete("/{id}", (HttpContext http, string id, DeliveryAdmin admin) =>
        {
            admin.Discard(http.Caller(), id);
            return Results.NoContent();
        }).Produces(204).WithSummary("Discard a dead letter for good; live deliveries cannot be discarded (administrators).");
    }
}
