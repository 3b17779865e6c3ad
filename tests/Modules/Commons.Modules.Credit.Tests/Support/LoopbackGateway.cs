using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// Requests between credit nodes in one process, keeping exchanges on both sides as the federation layer does: a
/// request reaches the target ledger's handler at once (or waits, <see cref="Hold"/>), a handler's exception becomes a
/// refusal with its code, a pending answer is given later through <see cref="AnswerPending"/>. It stands in for HTTP
/// and signatures, which the federation's own tests and the end-to-end runs cover; the module's part is what it tests.
/// </summary>
public sealed class LoopbackNetwork
{
    public Dictionary<string, (CreditNode Node, string Slug, IReadOnlyList<IRequestHandler> Handlers)> Ledgers { get; } = [];
    public bool Hold { get; set; }
    public List<(LoopbackGateway From, string Id)> Held { get; } = [];

    public void Deliver()
    {
        foreach (var (from, id) in Held.ToList()) from.Deliver(id);
        Held.Clear();
    }
}

public sealed class LoopbackGateway(LoopbackNetwork network, string actor, TimeProvider clock) : IExchangeGateway
{
    private readonly Dictionary<string, Exchange> _exchanges = [];
    public string Actor => actor;

    public Task<Exchange> SendAsync(Caller caller, string target, string type, JsonElement body, CancellationToken ct)
    {
        if (!network.Ledgers.ContainsKey(target)) throw new NotFoundException($"no dataset {target}", "origin_unreachable");
        var exchange = new Exchange
        {
            Id = $"{actor}/activities/{Guid.NewGuid():N}", Direction = ExchangeDirection.Outgoing, TargetActor = target, RequesterActor = actor,
            PeerInbox = target + "/inbox", RequestType = type, Kind = "credit.ledger", State = ExchangeState.Pending, Body = body.Clone(),
            RequestedBy = caller.Username, CreatedAt = clock.GetUtcNow(),
        };
        _exchanges[exchange.Id] = exchange;
        if (network.Hold) network.Held.Add((this, exchange.Id));
        else Deliver(exchange.Id);
        return Task.FromResult(_exchanges[exchange.Id]);
    }

    /// <summary>Hands the request to the target's handler, as if it came again with the same body under another id when <paramref name="asId"/> is given.</summary>
    public RequestDecision Deliver(string id, string? asId = null)
    {
        var sent = _exchanges[id];
        var (node, slug, handlers) = network.Ledgers[sent.TargetActor];
        var requestId = asId ?? id;
        var dataset = node.DatasetStore.Find(slug)!;
        var handler = handlers.Single(h => h.RequestType == sent.RequestType);
        RequestDecision decision;
        try
        {
            decision = handler.DecideAsync(new IncomingRequest(dataset, requestId, sent.RequestType, actor, new Uri(actor).Authority, sent.Body, clock.GetUtcNow()), default)
                .GetAwaiter().GetResult();
        }
        catch (CommonsException e)
        {
            decision = RequestDecision.Refuse(e.Code, e.Detail);
        }
        node.Gateway!.Receive(sent with { Id = requestId, Direction = ExchangeDirection.Incoming, DatasetSlug = slug }, decision, this);
        if (asId is null) Apply(id, decision);
        return decision;
    }

    private void Receive(Exchange incoming, RequestDecision decision, LoopbackGateway from)
    {
        // As IncomingRequests does: a request its handler holds is marked held (decided pending).
        _exchanges[incoming.Id] = incoming with
        {
            State = decision.State, Code = decision.Code, Result = decision.Result, HeldAt = decision.State == ExchangeState.Pending ? clock.GetUtcNow() : null,
        };
        _peers[incoming.Id] = from;
    }

    private readonly Dictionary<string, LoopbackGateway> _peers = [];

    public void Apply(string id, RequestDecision decision) =>
        _exchanges[id] = _exchanges[id] with { State = decision.State, Code = decision.Code, Detail = decision.Detail, Result = decision.Result };

    public void Expire(string id) => _exchanges[id] = _exchanges[id] with { State = ExchangeState.Expired };

    public Exchange? Find(string requestId) => _exchanges.GetValueOrDefault(requestId);

    public IReadOnlyList<Exchange> Outgoing(string type, string? member, int limit) =>
        _exchanges.Values.Where(e => e.Direction == ExchangeDirection.Outgoing && e.RequestType == type).Take(limit).ToList();

    public IReadOnlyList<Exchange> Incoming(string type) =>
        _exchanges.Values.Where(e => e.Direction == ExchangeDirection.Incoming && e.RequestType == type).ToList();

    public Exchange AnswerPending(string requestId, RequestDecision decision, string answeredBy)
    {
        if (Find(requestId) is not { Direction: ExchangeDirection.Incoming, State: ExchangeState.Pending } exchange)
            throw new ConflictException("not pending", ProblemCodes.ExchangeNotPending);
        Apply(requestId, decision);
        _peers[requestId].Apply(requestId, decision);
        return _exchanges[requestId];
    }
}
