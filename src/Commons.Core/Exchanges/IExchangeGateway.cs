using System.Text.Json;
using Commons.Core.Access;

namespace Commons.Core.Exchanges;

/// <summary>
/// Requests between nodes as a module uses them: a member's request sent to a remote dataset (the same checks as the
/// exchanges API: the caller's write scope, the federation gate, the body's size), the outgoing requests of one type,
/// and the answer to a pending incoming request that the module itself decided (a steward's approval it checked).
/// Implemented by the federation layer; a module never builds an activity itself.
/// </summary>
public interface IExchangeGateway
{
    /// <summary>Sends <paramref name="type"/> (<c>place.book</c>) to the dataset at <paramref name="target"/> (handle or actor URL); pending until answered.</summary>
    Task<Exchange> SendAsync(Caller caller, string target, string type, JsonElement body, CancellationToken ct);

    /// <summary>The exchange kept under this request activity id, either direction; null when none.</summary>
    Exchange? Find(string requestId);

    /// <summary>Our outgoing requests of one type, newest first; only those <paramref name="member"/> asked when named.</summary>
    IReadOnlyList<Exchange> Outgoing(string type, string? member, int limit);

    /// <summary>
    /// Incoming requests of one type that a handler left pending for a member or steward to answer (a bill to accept),
    /// newest first, at most <paramref name="limit"/>; none by default, for gateways that keep no incoming requests.
    /// </summary>
    IReadOnlyList<Exchange> HeldIncoming(string type, int limit) => [];

    /// <summary>
    /// Answers a pending incoming request the module left pending (its handler returned <see cref="RequestDecision.Pending"/>):
    /// the answer goes signed by the asked dataset's key, as the handler's own would have. A ConflictException
    /// <c>exchange_not_pending</c> when it was answered meanwhile; nothing is sent then.
    /// </summary>
    Exchange AnswerPending(string requestId, RequestDecision decision, string answeredBy);
}
