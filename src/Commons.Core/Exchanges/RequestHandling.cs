using System.Text.Json;
using Commons.Core.Datasets;

namespace Commons.Core.Exchanges;

/// <summary>Where a request between nodes stands. Pending until the owner answers; expired is decided by the asking node alone.</summary>
public enum ExchangeState
{
    Pending = 0,
    Accepted = 1,
    Refused = 2,
    /// <summary>No answer came within the kind's <see cref="Kinds.DatasetKind.RequestTimeout"/>; a late answer is kept but changes nothing.</summary>
    Expired = 3,
}

/// <summary>
/// A request a peer sent to one of our datasets' actors, verified (HTTP signature and proof by the requesting actor)
/// and not seen before. <see cref="RequesterHost"/> is the requesting node's authority (host and port), as the
/// dataset's allow-list and followers name it.
/// </summary>
public sealed record IncomingRequest(
    Dataset Dataset, string RequestId, string RequestType, string RequesterActor, string RequesterHost, JsonElement Body, DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// The request activity as the peer signed it (its FEP-8b32 proof by <see cref="RequesterActor"/> intact), for a module
    /// that keeps the signed original (a ballot to recount, a transfer to audit). Also kept as <see cref="Exchange.ReceivedJson"/>.
    /// </summary>
    public string? SignedJson { get; init; }
}

/// <summary>
/// The owner's answer to a request. Refusals carry the rule's stable <see cref="Code"/> (the same code the API and the
/// pages show for the same rule) and a detail for people; an accepted answer may carry a result (the booking made).
/// </summary>
public sealed record RequestDecision(ExchangeState State, string? Code = null, string? Detail = null, JsonElement? Result = null)
{
    public static RequestDecision Accept(JsonElement? result = null) => new(ExchangeState.Accepted, Result: result);
    public static RequestDecision Refuse(string code, string detail) => new(ExchangeState.Refused, code, detail);
    /// <summary>A steward decides later; the answer then goes through the exchange service.</summary>
    public static RequestDecision Pending(string? detail = null) => new(ExchangeState.Pending, Detail: detail);
}

/// <summary>
/// A module's decision on one type of request (<c>place.book</c>) sent to a dataset of one kind. The platform has
/// verified the signatures, de-duplicated the request and checked the kind; the handler decides access (is the
/// requester a follower the policy allows?) and applies the owner's rules — usually by a write whose rules run in the
/// store transaction — and returns the answer. A <see cref="Errors.CommonsException"/> it throws becomes a refusal
/// with that exception's code.
/// </summary>
public interface IRequestHandler
{
    string Kind { get; }
    string RequestType { get; }
    Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct);
}
