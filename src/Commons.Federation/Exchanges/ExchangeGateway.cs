using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Federation.Exchanges;

/// <summary>
/// Requests between nodes as modules use them, through the same services as the exchanges API: a request goes through
/// <see cref="ExchangeService.SendAsync"/> (the caller's write scope, the request's type and size, the target's lookup)
/// and an answer through <see cref="ExchangeAnswering.Answer"/> (signed by the asked dataset, sent once).
/// <paramref name="ensureFederating"/> is the host's federation gate: it throws while the node does not federate.
/// </summary>
public sealed class ExchangeGateway(ExchangeService service, IExchangeStore exchanges, ExchangeAnswering answering, Action? ensureFederating = null)
    : IExchangeGateway
{
    public const int MaxLimit = 200;

    public Task<Exchange> SendAsync(Caller caller, string target, string type, JsonElement body, CancellationToken ct)
    {
        ensureFederating?.Invoke();
        return service.SendAsync(caller, new ExchangeDraft(target, type, body), ct);
    }

    public Exchange? Find(string requestId) => string.IsNullOrEmpty(requestId) ? null : exchanges.Find(requestId);

    public IReadOnlyList<Exchange> Outgoing(string type, string? member, int limit)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return exchanges.List(new ExchangeQuery
        {
            // A named member: only what they asked (the store's member filter); nobody named: every outgoing request.
            All = member is null, Member = member, Direction = ExchangeDirection.Outgoing, Type = type, Limit = Math.Clamp(limit, 1, MaxLimit),
        }).Items;
    }

    public IReadOnlyList<Exchange> HeldIncoming(string type, int limit)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return exchanges.List(new ExchangeQuery
        {
            All = true, Direction = ExchangeDirection.Incoming, State = ExchangeState.Pending, Type = type, Limit = Math.Clamp(limit, 1, MaxLimit),
        }).Items.Where(e => e.HeldAt is not null).ToList();
    }

    public Exchange AnswerPending(string requestId, RequestDecision decision, string answeredBy)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.State is not (ExchangeState.Accepted or ExchangeState.Refused))
            throw new ArgumentException("an answer accepts or refuses", nameof(decision));
        var exchange = Find(requestId);
        if (exchange is not { Direction: ExchangeDirection.Incoming, State: ExchangeState.Pending })
            throw new ConflictException(exchange is null ? $"no request '{requestId}' to one of our datasets"
                : $"the request is not one to our datasets still pending (it is {exchange.State.ToString().ToLowerInvariant()})", ProblemCodes.ExchangeNotPending);
        // A refusal always carries a code, as the handlers' refusals do (IncomingRequests).
        if (decision is { State: ExchangeState.Refused, Code: null }) decision = decision with { Code = ProblemCodes.RequestRefused };
        return answering.Answer(exchange, decision, answeredBy);
    }
}
