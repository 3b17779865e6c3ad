using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Services;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Replication;

namespace Commons.Federation.Exchanges;

/// <summary>What a member asks a remote dataset: its handle or actor URL, the request type and the request's data.</summary>
public sealed record ExchangeDraft(string? Target, string? Type, JsonElement Body);

/// <summary>A steward's answer to a pending incoming request: accept (with an optional result) or refuse (with a code).</summary>
public sealed record ExchangeAnswerDraft(bool Accept, string? Code, string? Detail, JsonElement? Result);

/// <summary>
/// Requests between nodes as members see them, with every permission decided here from the <see cref="Caller"/>: any
/// member with the write scope asks; a member lists the requests they sent, a steward the requests to their datasets,
/// an administrator all; only a steward of the asked dataset answers a pending request by hand.
/// </summary>
public sealed partial class ExchangeService(
    IExchangeStore exchanges, DatasetService datasets, IDatasetKinds kinds, RemoteDatasetLookup lookup, ObjectProofs proofs, Outbox outbox,
    ExchangeAnswering answering, ActivityUris uris, ExchangeOptions options, TimeProvider clock)
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Sends a request from this node's actor to a remote dataset; the exchange waits, pending, for its answer.</summary>
    public async Task<Exchange> SendAsync(Caller caller, ExchangeDraft draft, CancellationToken ct)
    {
        DatasetAccess.RequireWrite(caller);
        if (draft.Type is not { } type || type.Length > 100 || !RequestTypePattern().IsMatch(type))
            throw ValidationException.For("type", "a request type such as place.book (module.verb, lowercase)");
        if (draft.Body.ValueKind != JsonValueKind.Object) throw ValidationException.For("body", "a JSON object");
        if (draft.Body.GetRawText().Length > MaxBodyBytes) throw ValidationException.For("body", $"at most {MaxBodyBytes / 1024} KiB");
        var target = await lookup.FindAsync(draft.Target, "target", ct);

        var kind = AsJson.String(target.Document, ActivityStreamsContext.Kind) ?? DatasetKind.Custom;
        var now = clock.GetUtcNow();
        var request = proofs.Sign(ActorKeyring.NodeActor, ExchangeActivities.Request(uris.NodeActor, target.Id.ToString(), type, draft.Body, Guid.NewGuid(), now));
        var exchange = new Exchange
        {
            Id = request["id"]!.GetValue<string>(), Direction = ExchangeDirection.Outgoing, TargetActor = target.Id.ToString(),
            RequesterActor = uris.NodeActor, PeerInbox = target.Inbox.ToString(), RequestType = type, Kind = kind, State = ExchangeState.Pending,
            Body = draft.Body.Clone(), RequestedBy = caller.Username, CreatedAt = now, ExpiresAt = now + options.TimeoutFor(kind, kinds),
            SentJson = request.ToJsonString(ActivityStreamsContext.WireOptions),
        };
        exchanges.TryAdd(exchange);
        outbox.Send(ActorKeyring.NodeActor, request, [exchange.PeerInbox]);
        return exchange;
    }

    public ExchangePage List(Caller caller, ExchangeDirection? direction, ExchangeState? state, string? after, int limit)
    {
        if (!caller.CanRead) return new ExchangePage([], null);
        var stewardOf = caller.IsAdmin ? [] : datasets.ListVisible(caller)
            .Where(d => DatasetAccess.LevelOf(caller, d) == AccessLevel.Steward).Select(d => d.Slug).ToList();
        var page = exchanges.List(new ExchangeQuery
        {
            All = caller.IsAdmin, Member = caller.Username, StewardOf = stewardOf, Direction = direction, State = state, After = after, Limit = limit,
        });
        return page with { Items = page.Items.Select(Shown).ToList() };
    }

    /// <summary>One exchange the caller may see, by its <see cref="Exchange.Ref"/>; not found otherwise.</summary>
    public Exchange Get(Caller caller, string id) => Shown(Stored(caller, id));

    private Exchange Stored(Caller caller, string id)
    {
        var exchange = exchanges.FindByRef(id);
        if (exchange is null || !caller.CanRead || !MaySee(caller, exchange)) throw new NotFoundException($"no exchange '{id}'");
        return exchange;
    }

    /// <summary>
    /// An incoming request of a type its kind seals (<see cref="DatasetKind.SealedRequestTypes"/>) shown without its data
    /// or signed original: an empty object in their place. Administrators included: a ballot is the voter's until the tally.
    /// </summary>
    private Exchange Shown(Exchange exchange) =>
        exchange.Direction == ExchangeDirection.Incoming && kinds.Find(exchange.Kind) is { } kind && kind.SealedRequestTypes.Contains(exchange.RequestType)
            ? exchange with { Body = SealedBody.Clone(), ReceivedJson = null }
            : exchange;

    private static readonly JsonElement SealedBody = JsonDocument.Parse("{}").RootElement;

    /// <summary>A steward answers a request to their dataset that its kind left pending.</summary>
    public Exchange Answer(Caller caller, string id, ExchangeAnswerDraft draft)
    {
        // The stored exchange, never the one shown: answering writes it back whole.
        var exchange = Stored(caller, id);
        if (exchange.Direction != ExchangeDirection.Incoming) throw new ConflictException("only a request to one of our datasets is answered here", ProblemCodes.ExchangeNotPending);
        datasets.Get(caller, exchange.DatasetSlug!, AccessLevel.Steward);
        DatasetAccess.RequireWrite(caller);
        if (exchange.State != ExchangeState.Pending)
            throw new ConflictException($"the request was {exchange.State.ToString().ToLowerInvariant()} already", ProblemCodes.ExchangeNotPending);
        if (draft.Code is { } code && !CodePattern().IsMatch(code)) throw ValidationException.For("code", "a code in snake_case, such as room_taken");
        if (draft.Detail is { Length: > 500 }) throw ValidationException.For("detail", "at most 500 characters");
        var decision = draft.Accept
            ? RequestDecision.Accept(draft.Result) with { Detail = draft.Detail }
            : RequestDecision.Refuse(draft.Code ?? ProblemCodes.RequestRefused, draft.Detail ?? "refused by a steward");
        return Shown(answering.Answer(exchange, decision, caller.Username));
    }

    /// <summary>Marks outgoing requests expired whose answer did not come in time; returns how many.</summary>
    public int ExpireOverdue() => exchanges.ExpireOverdue(clock.GetUtcNow(), 100);

    private bool MaySee(Caller caller, Exchange exchange)
    {
        if (caller.IsAdmin) return true;
        if (exchange.Direction == ExchangeDirection.Outgoing) return exchange.RequestedBy == caller.Username;
        try { return DatasetAccess.LevelOf(caller, datasets.Get(caller, exchange.DatasetSlug!)) == AccessLevel.Steward; }
        catch (CommonsException) { return false; }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*\\.[a-z][a-z0-9.-]*$")]
    private static partial Regex RequestTypePattern();

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex CodePattern();
}
