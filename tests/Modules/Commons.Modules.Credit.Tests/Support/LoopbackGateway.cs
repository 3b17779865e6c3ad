using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// Requests between credit nodes in one process, keeping exchanges on both sides as the federation layer does: a
/// request reaches the target ledger's handler at once (or waits, <see cref="Hold"/>), a handler's exception becomes a
/// refusal with its code, a pending answer is given later through <see cref="AnswerPending"/>. Requests and answers
/// are activities of the spec's shape (§11) with real proofs from <see cref="Keys"/>: the request by the asking node's
/// actor, the answer by the asked ledger's actor, kept as SentJson and ReceivedJson on each side. It stands in for
/// HTTP and the HTTP signatures, which the federation's own tests and the end-to-end runs cover.
/// </summary>
public sealed class LoopbackNetwork
{
    public Dictionary<string, (CreditNode Node, string Slug, IReadOnlyList<IRequestHandler> Handlers)> Ledgers { get; } = [];
    public KeyRing Keys { get; } = new();
    public bool Hold { get; set; }
    /// <summary>While true, answering a pending request fails (the answer cannot be stored or sent) and changes nothing.</summary>
    public bool FailAnswers { get; set; }
    public List<(LoopbackGateway From, string Id)> Held { get; } = [];

    /// <summary>A request activity of the spec's shape, signed by <paramref name="actor"/>'s key, as JSON text.</summary>
    public string SignedRequest(string id, string actor, string target, string type, JsonElement body) => Keys.Sign(actor, new JsonObject
    {
        ["id"] = id, ["type"] = "Offer", ["actor"] = actor, ["to"] = new JsonArray(target), ["target"] = target,
        ["object"] = new JsonObject { ["type"] = "commons:Request", ["commons:requestType"] = type, ["commons:data"] = JsonNode.Parse(body.GetRawText()) },
    }).ToJsonString();

    public void Deliver()
    {
        foreach (var (from, id) in Held.ToList()) from.Deliver(id);
        Held.Clear();
    }
}

public sealed class LoopbackGateway(LoopbackNetwork network, string actor, TimeProvider clock) : IExchangeGateway
{
    private readonly Dictionary<string, Exchange> _exchanges = [];
    private readonly Dictionary<string, LoopbackGateway> _peers = [];
    private readonly Lock _gate = new();
    public string Actor => actor;

    public Task<Exchange> SendAsync(Caller caller, string target, string type, JsonElement body, CancellationToken ct)
    {
        if (!network.Ledgers.ContainsKey(target)) throw new NotFoundException($"no dataset {target}", "origin_unreachable");
        var id = $"{actor}/activities/{Guid.NewGuid():N}";
        var request = network.SignedRequest(id, actor, target, type, body);
        var exchange = new Exchange
        {
            Id = id, Direction = ExchangeDirection.Outgoing, TargetActor = target, RequesterActor = actor,
            PeerInbox = target + "/inbox", RequestType = type, Kind = "credit.ledger", State = ExchangeState.Pending, Body = body.Clone(),
            RequestedBy = caller.Username, CreatedAt = clock.GetUtcNow(), SentJson = request,
        };
        Put(exchange);
        if (network.Hold) network.Held.Add((this, exchange.Id));
        else Deliver(exchange.Id);
        return Task.FromResult(Find(exchange.Id)!);
    }

    /// <summary>
    /// Hands the request to the target's handler, as if it came again under another id when <paramref name="asId"/> is
    /// given, or with another signed activity when <paramref name="signedJson"/> is (a forgery).
    /// </summary>
    public RequestDecision Deliver(string id, string? asId = null, string? signedJson = null)
    {
        var sent = Find(id)!;
        var (node, slug, handlers) = network.Ledgers[sent.TargetActor];
        var requestId = asId ?? id;
        var dataset = node.DatasetStore.Find(slug)!;
        var handler = handlers.Single(h => h.RequestType == sent.RequestType);
        // A forged activity carries its own data, as the inbox would read it.
        var body = signedJson is null ? sent.Body : JsonDocument.Parse(signedJson).RootElement.GetProperty("object").GetProperty("commons:data").Clone();
        var incoming = sent with { Id = requestId, Direction = ExchangeDirection.Incoming, DatasetSlug = slug, ReceivedJson = signedJson ?? sent.SentJson, SentJson = null, Body = body };
        RequestDecision decision;
        try
        {
            decision = handler.DecideAsync(new IncomingRequest(dataset, requestId, sent.RequestType, actor, new Uri(actor).Authority, body, clock.GetUtcNow())
                { SignedJson = incoming.ReceivedJson }, default).GetAwaiter().GetResult();
        }
        catch (CommonsException e)
        {
            decision = RequestDecision.Refuse(e.Code, e.Detail);
        }
        var answer = node.Gateway!.Receive(incoming, decision, this);
        if (asId is null) Apply(id, decision, answer);
        return decision;
    }

    private string? Receive(Exchange incoming, RequestDecision decision, LoopbackGateway from)
    {
        var answer = decision.State == ExchangeState.Pending ? null : AnswerJson(incoming, decision);
        // As IncomingRequests does: a request its handler holds is marked held (decided pending).
        Put(incoming with
        {
            State = decision.State, Code = decision.Code, Result = decision.Result, SentJson = answer,
            HeldAt = decision.State == ExchangeState.Pending ? clock.GetUtcNow() : null,
        });
        lock (_gate) _peers[incoming.Id] = from;
        return answer;
    }

    private string AnswerJson(Exchange request, RequestDecision decision)
    {
        var answer = new JsonObject
        {
            ["id"] = $"{request.TargetActor}/answers/{Guid.NewGuid():N}", ["type"] = decision.State == ExchangeState.Accepted ? "Accept" : "Reject",
            ["actor"] = request.TargetActor, ["to"] = new JsonArray(request.RequesterActor), ["inReplyTo"] = request.Id,
            ["object"] = new JsonObject { ["id"] = request.Id, ["type"] = "commons:Request" },
        };
        if (decision.Code is { } code) answer["commons:code"] = code;
        if (decision.Result is { } result) answer["commons:result"] = JsonNode.Parse(result.GetRawText());
        return network.Keys.Sign(request.TargetActor, answer).ToJsonString();
    }

    public void Apply(string id, RequestDecision decision, string? answerJson = null) => Put(Find(id)! with
    {
        State = decision.State, Code = decision.Code, Detail = decision.Detail, Result = decision.Result, ReceivedJson = answerJson,
    });

    public void Expire(string id) => Put(Find(id)! with { State = ExchangeState.Expired });

    public Exchange? Find(string requestId)
    {
        lock (_gate) return _exchanges.GetValueOrDefault(requestId);
    }

    private void Put(Exchange exchange)
    {
        lock (_gate) _exchanges[exchange.Id] = exchange;
    }

    public IReadOnlyList<Exchange> Outgoing(string type, string? member, int limit)
    {
        lock (_gate) return _exchanges.Values.Where(e => e.Direction == ExchangeDirection.Outgoing && e.RequestType == type).Take(limit).ToList();
    }

    public IReadOnlyList<Exchange> Incoming(string type)
    {
        lock (_gate) return _exchanges.Values.Where(e => e.Direction == ExchangeDirection.Incoming && e.RequestType == type).ToList();
    }

    public Exchange AnswerPending(string requestId, RequestDecision decision, string answeredBy)
    {
        if (Find(requestId) is not { Direction: ExchangeDirection.Incoming, State: ExchangeState.Pending } exchange)
            throw new ConflictException("not pending", ProblemCodes.ExchangeNotPending);
        if (network.FailAnswers) throw new ConflictException("the answer could not be sent", "origin_unreachable");
        var answer = AnswerJson(exchange, decision);
        Put(exchange with { State = decision.State, Code = decision.Code, Detail = decision.Detail, Result = decision.Result, SentJson = answer, AnsweredBy = answeredBy });
        LoopbackGateway peer;
        lock (_gate) peer = _peers[requestId];
        peer.Apply(requestId, decision, answer);
        return Find(requestId)!;
    }
}

/// <summary>
/// A member node's <see cref="IRemoteDatasetViews"/> over the loopback network: the view is built by the ledger's own
/// view services with this node's actor as the verified fetcher, then passed through JSON text as the wire would.
/// </summary>
public sealed class LoopbackViews(LoopbackNetwork network, string fetcher, TimeProvider clock) : IRemoteDatasetViews
{
    public Task<JsonElement> FetchAsync(string datasetActor, string view, IReadOnlyDictionary<string, string> query, CancellationToken ct)
    {
        if (!network.Ledgers.TryGetValue(datasetActor, out var target) || target.Node.Views is not { } views)
            throw new NotFoundException($"no dataset {datasetActor}", "origin_unreachable");
        var built = views.Single(v => v.Name == view).Build(new DatasetViewRequest(target.Node.DatasetStore.Find(target.Slug)!, view, fetcher,
            new Uri(fetcher).Authority, query, clock.GetUtcNow())) ?? throw new NotFoundException($"no view {view} for {fetcher}");
        return Task.FromResult(JsonDocument.Parse(built.GetRawText()).RootElement.Clone());
    }
}
