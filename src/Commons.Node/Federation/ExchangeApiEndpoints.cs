using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Federation.Exchanges;
using Commons.Node.Api;
using Commons.Node.Auth;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Http;

namespace Commons.Node.Federation;

/// <summary>A request to send: the remote dataset (handle or actor URL), what is asked (<c>place.book</c>) and its data.</summary>
public sealed record ExchangeCreateRequest(string Target, string Type, JsonElement Body);

/// <summary>A steward's answer to a pending incoming request; a refusal without a code is <c>request_refused</c>.</summary>
public sealed record ExchangeAnswerRequest(bool Accept, string? Code, string? Detail, JsonElement? Result);

/// <summary>
/// An exchange as the API shows it. <c>id</c> names it here; <c>requestId</c> is the request activity's id on the wire.
/// <c>lateAnswer</c>: an answer came after the request expired (kept, not applied).
/// </summary>
public sealed record ExchangeResponse(
    string Id, string RequestId, ExchangeDirection Direction, string? Dataset, string TargetActor, string RequesterActor, string Type, string Kind,
    ExchangeState State, string? Code, string? Detail, JsonElement Body, JsonElement? Result, string? RequestedBy, string? AnsweredBy,
    DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? ExpiresAt, bool LateAnswer)
{
    public static ExchangeResponse From(Exchange e) => new(
        e.Ref, e.Id, e.Direction, e.DatasetSlug, e.TargetActor, e.RequesterActor, e.RequestType, e.Kind, e.State, e.Code, e.Detail, e.Body, e.Result,
        e.RequestedBy, e.AnsweredBy, e.CreatedAt, e.AnsweredAt, e.ExpiresAt, e.LateAnswer is not null);
}

/// <summary>Requests between nodes: the ones our members sent, the ones peers sent to our datasets, and a steward's answer.</summary>
public static class ExchangeApiEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/exchanges").WithTags("Exchanges");

        group.MapGet("", (HttpContext http, string? direction, string? state, string? after, int? limit, ExchangeService exchanges) =>
        {
            var page = exchanges.List(http.Caller(), ParseDirection(direction), ParseState(state), after, PageLimit.Check(limit, 50, 200));
            return new PageResponse<ExchangeResponse>(page.Items.Select(ExchangeResponse.From).ToList(), page.Next);
        }).CheckQuery(QueryValue.Int("limit")).Produces<PageResponse<ExchangeResponse>>().ForAnySignedInCaller()
          .WithSummary("Exchanges the caller may see, newest first: the requests they sent, the requests to datasets they steward (administrators: all). direction=outgoing|incoming, state=pending|accepted|refused|expired; after = the previous page's next.");

        group.MapGet("/{id}", (HttpContext http, string id, ExchangeService exchanges) =>
            ExchangeResponse.From(exchanges.Get(http.Caller(), id)))
          .Produces<ExchangeResponse>().ForAnySignedInCaller().WithSummary("One exchange, with its state, code and times.");

        group.MapPost("", async (HttpContext http, ExchangeService exchanges, FederationGate gate) =>
        {
            var caller = http.Caller();
            gate.EnsureOpen();
            var body = await JsonBody.ReadAsync<ExchangeCreateRequest>(http);
            var exchange = await exchanges.SendAsync(caller, new ExchangeDraft(body.Target, body.Type, body.Body), http.RequestAborted);
            return Results.Created($"/api/exchanges/{exchange.Ref}", ExchangeResponse.From(exchange));
        }).Accepts<ExchangeCreateRequest>("application/json").Produces<ExchangeResponse>(201).ProducesProblem(503)
          .WithSummary("Ask a remote dataset (handle or actor URL) to act: the request goes signed by this node and waits, pending, for the owner's answer (members with the write scope).");

        group.MapPost("/{id}/answer", async (HttpContext http, string id, ExchangeService exchanges) =>
        {
            var caller = http.Caller();
            var body = await JsonBody.ReadAsync<ExchangeAnswerRequest>(http);
            return ExchangeResponse.From(exchanges.Answer(caller, id, new ExchangeAnswerDraft(body.Accept, body.Code, body.Detail, body.Result)));
        }).Accepts<ExchangeAnswerRequest>("application/json").Produces<ExchangeResponse>().ProducesProblem(409)
          .WithSummary("Answer a pending request to one of our datasets: accept (with a result) or refuse (with a code) (stewards of the dataset).");
    }

    private static ExchangeDirection? ParseDirection(string? value) => value switch
    {
        null or "" => null,
        "outgoing" => ExchangeDirection.Outgoing,
        "incoming" => ExchangeDirection.Incoming,
        _ => throw ValidationException.For("direction", "outgoing or incoming", ProblemCodes.InvalidParameter),
    };

    private static ExchangeState? ParseState(string? value) => value switch
    {
        null or "" => null,
        "pending" => ExchangeState.Pending,
        "accepted" => ExchangeState.Accepted,
        "refused" => ExchangeState.Refused,
        "expired" => ExchangeState.Expired,
        _ => throw ValidationException.For("state", "pending, accepted, refused or expired", ProblemCodes.InvalidParameter),
    };
}
