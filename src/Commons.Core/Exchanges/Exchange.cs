using System.Text.Json;

namespace Commons.Core.Exchanges;

/// <summary>Which side of a request between nodes we are: the node that asked, or the node whose dataset was asked.</summary>
public enum ExchangeDirection
{
    /// <summary>A member of ours asked a remote dataset; we wait for its answer.</summary>
    Outgoing = 0,
    /// <summary>A peer asked one of our datasets; its kind's request handler (or a steward) answers.</summary>
    Incoming = 1,
}

/// <summary>
/// One request between nodes and its answer, kept by both sides under the request activity's id. On the asking node
/// <see cref="TargetActor"/> is the remote dataset's actor and <see cref="RequestedBy"/> our member; on the asked node
/// <see cref="DatasetSlug"/> is our dataset and <see cref="RequesterActor"/> the peer's actor.
/// </summary>
public sealed record Exchange
{
    /// <summary>The request activity's id (an URL on the asking node).</summary>
    public required string Id { get; init; }
    /// <summary>The exchange's name in this node's API and pages (a URL does not fit in a path segment).</summary>
    public string Ref => RefOf(Id);
    public ExchangeDirection Direction { get; init; }
    /// <summary>The asked dataset on this node (incoming only).</summary>
    public string? DatasetSlug { get; init; }
    /// <summary>The actor of the dataset the request is addressed to.</summary>
    public required string TargetActor { get; init; }
    /// <summary>The actor that sent the request (the asking node's actor).</summary>
    public required string RequesterActor { get; init; }
    /// <summary>Where answers go: the requester's inbox on the asked node; the target's inbox on the asking node.</summary>
    public required string PeerInbox { get; init; }
    /// <summary>What is asked, <c>module.verb</c> (<c>place.book</c>).</summary>
    public required string RequestType { get; init; }
    /// <summary>The kind of the asked dataset, as its actor published it (<c>custom</c> when it names none).</summary>
    public required string Kind { get; init; }
    public ExchangeState State { get; init; }
    /// <summary>A refusal's stable code (the rule's own code, or one of <see cref="Errors.ProblemCodes"/>).</summary>
    public string? Code { get; init; }
    /// <summary>The answer's words for people (a refusal's reason, a pending answer's note).</summary>
    public string? Detail { get; init; }
    /// <summary>The request's data, as sent.</summary>
    public JsonElement Body { get; init; }
    /// <summary>What an accepted answer carried (the booking made).</summary>
    public JsonElement? Result { get; init; }
    /// <summary>The member who asked (outgoing), or the steward who answered by hand (incoming).</summary>
    public string? RequestedBy { get; init; }
    public string? AnsweredBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    /// <summary>Outgoing: when a request still pending becomes <see cref="ExchangeState.Expired"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The id of the answer activity (sent on the asked node, received on the asking node).</summary>
    public string? AnswerId { get; init; }
    /// <summary>
    /// The signed activity this node sent for the exchange: the request (outgoing), or the answer (incoming), which is
    /// sent again unchanged when the same request arrives again.
    /// </summary>
    public string? SentJson { get; init; }
    /// <summary>
    /// The peer's signed activity as received, its FEP-8b32 proof intact: the request (incoming) or the answer (outgoing).
    /// With <see cref="SentJson"/> it makes the exchange doubly signed; a module checks it again later through
    /// <see cref="Federation.IObjectProofs.VerifyAsync"/> (a recount, an audit). Null for exchanges stored before it was kept.
    /// </summary>
    public string? ReceivedJson { get; init; }
    /// <summary>Outgoing: an answer that came after expiry, kept as received (its state is not applied).</summary>
    public string? LateAnswer { get; init; }
    /// <summary>
    /// Incoming: when the kind's handler decided to leave the request pending for a steward. A pending exchange without
    /// it and without an answer was stored but never decided (the node stopped in between): the same request arriving
    /// again is decided then, not merely acknowledged.
    /// </summary>
    public DateTimeOffset? HeldAt { get; init; }
    /// <summary>True for an incoming request stored but not yet decided by its handler.</summary>
    public bool Undecided => Direction == ExchangeDirection.Incoming && State == ExchangeState.Pending && HeldAt is null && SentJson is null;

    /// <summary>32 hex digits of the SHA-256 of the request id: the same on every read, unguessable from nothing.</summary>
    public static string RefOf(string requestId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requestId)))[..32];
}

/// <summary>
/// Which exchanges a caller may list: all (administrators), or the outgoing ones a member asked and the incoming ones of
/// the datasets they steward; narrowed by direction, state and request type. Pages go from the newest, <see cref="After"/> being the
/// cursor of the last item of the previous page.
/// </summary>
public sealed record ExchangeQuery
{
    public bool All { get; init; }
    public string? Member { get; init; }
    public IReadOnlyList<string> StewardOf { get; init; } = [];
    public ExchangeDirection? Direction { get; init; }
    public ExchangeState? State { get; init; }
    /// <summary>Only requests of this type (<c>place.book</c>).</summary>
    public string? Type { get; init; }
    public string? After { get; init; }
    public int Limit { get; init; } = 50;
}

public sealed record ExchangePage(IReadOnlyList<Exchange> Items, string? Next);

public interface IExchangeStore
{
    Exchange? Find(string id);
    /// <summary>The exchange whose <see cref="Exchange.Ref"/> this is.</summary>
    Exchange? FindByRef(string reference);
    /// <summary>Stores a new exchange; false (and nothing written) when one with this id exists.</summary>
    bool TryAdd(Exchange exchange);
    /// <summary>Replaces the exchange if its stored state is still <paramref name="expected"/>, in one transaction; false otherwise.</summary>
    bool TryUpdate(Exchange exchange, ExchangeState expected);
    ExchangePage List(ExchangeQuery query);
    /// <summary>Marks expired the outgoing exchanges still pending whose <see cref="Exchange.ExpiresAt"/> is at or before <paramref name="now"/>; returns how many.</summary>
    int ExpireOverdue(DateTimeOffset now, int limit);
}
