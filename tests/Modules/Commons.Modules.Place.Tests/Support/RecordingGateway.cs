using System.Collections.Concurrent;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>
/// The exchanges as the place sees them through <see cref="IExchangeGateway"/>, kept in memory for in-process tests: an
/// incoming request left pending by a handler is <see cref="Received"/>, and a steward's answer is recorded with the
/// state check the real gateway makes (answered once). Cross-node tests (tests/Commons.E2E) use the real one.
/// </summary>
public sealed class RecordingGateway : IExchangeGateway
{
    private readonly ConcurrentDictionary<string, Exchange> _exchanges = new();
    private int _sent;

    /// <summary>Keeps an incoming request as the platform does before asking the handler.</summary>
    public void Received(IncomingRequest request, RequestDecision decision)
    {
        if (decision.State != ExchangeState.Pending) return;
        _exchanges[request.RequestId] = new Exchange
        {
            Id = request.RequestId, Direction = ExchangeDirection.Incoming, DatasetSlug = request.Dataset.Slug, TargetActor = "https://a.example/datasets/" + request.Dataset.Slug,
            RequesterActor = request.RequesterActor, PeerInbox = request.RequesterActor + "/inbox", RequestType = request.RequestType, Kind = request.Dataset.Kind,
            State = ExchangeState.Pending, Body = request.Body, CreatedAt = request.ReceivedAt, Detail = decision.Detail,
        };
    }

    public Task<Exchange> SendAsync(Caller caller, string target, string type, JsonElement body, CancellationToken ct)
    {
        DatasetAccess.RequireWrite(caller);
        var id = $"https://b.example/requests/{Interlocked.Increment(ref _sent)}";
        var exchange = new Exchange
        {
            Id = id, Direction = ExchangeDirection.Outgoing, TargetActor = target, RequesterActor = "https://b.example/actor", PeerInbox = target + "/inbox",
            RequestType = type, Kind = "place.resources", State = ExchangeState.Pending, Body = body.Clone(), RequestedBy = caller.Username, CreatedAt = DateTimeOffset.UtcNow,
        };
        _exchanges[id] = exchange;
        return Task.FromResult(exchange);
    }

    public Exchange? Find(string requestId) => _exchanges.GetValueOrDefault(requestId);

    public IReadOnlyList<Exchange> Outgoing(string type, string? member, int limit) => _exchanges.Values
        .Where(e => e.Direction == ExchangeDirection.Outgoing && e.RequestType == type && (member is null || e.RequestedBy == member))
        .OrderByDescending(e => e.CreatedAt).Take(limit).ToList();

    public Exchange AnswerPending(string requestId, RequestDecision decision, string answeredBy)
    {
        var exchange = Find(requestId) ?? throw new NotFoundException($"no exchange '{requestId}'");
        if (exchange.State != ExchangeState.Pending) throw new ConflictException("answered already", ProblemCodes.ExchangeNotPending);
        var answered = exchange with
        {
            State = decision.State, Code = decision.Code, Detail = decision.Detail, Result = decision.Result, AnsweredBy = answeredBy, AnsweredAt = DateTimeOffset.UtcNow,
        };
        _exchanges[requestId] = answered;
        return answered;
    }

    /// <summary>Sets what the owner answered an outgoing request (as its Accept or Reject arriving would).</summary>
    public void Answered(string requestId, ExchangeState state, JsonElement? result = null, string? code = null) =>
        _exchanges[requestId] = _exchanges[requestId] with { State = state, Result = result, Code = code, AnsweredAt = DateTimeOffset.UtcNow };
}
