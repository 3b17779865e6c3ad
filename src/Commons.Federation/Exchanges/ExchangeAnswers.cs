using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;

namespace Commons.Federation.Exchanges;

/// <summary>
/// The asking node's side of an answer. It must come from the dataset actor the request went to (the HTTP signer, and
/// the proof's key), and <c>inReplyTo</c> must name an outgoing exchange of ours. A pending exchange takes the answer's
/// state; an expired one keeps a late answer as received without changing state; an answered one ignores another answer.
/// </summary>
public sealed class ExchangeAnswers(IExchangeStore exchanges, ProofVerifier proofs, TimeProvider clock)
{
    public async Task<string> ReceiveAsync(InboxActivity activity, CancellationToken ct)
    {
        var requestId = AsJson.Id(activity.Json, "inReplyTo") ?? activity.ObjectId;
        if (requestId is null) return "ignored: the answer names no request";
        if (activity.ObjectId is { } objectId && objectId != requestId) return "refused: the answer's object and inReplyTo name different requests";
        if (exchanges.Find(requestId) is not { Direction: ExchangeDirection.Outgoing } exchange) return $"ignored: no request {requestId} of ours";
        if (activity.ActorUri != exchange.TargetActor || AsJson.Id(activity.Json, "actor") != activity.ActorUri)
            return "refused: the answer is not from the dataset the request went to";
        var proof = await proofs.VerifyAsync(ProofVerifier.AsObject(activity.Json)!, activity.ActorUri, ct);
        if (!proof.IsValid) return $"refused: the answer's proof: {proof.Failure}";

        var now = clock.GetUtcNow();
        if (exchange.State == ExchangeState.Pending)
        {
            var answered = Answered(exchange, activity, now);
            if (exchanges.TryUpdate(answered, ExchangeState.Pending)) return $"request {exchange.RequestType} {answered.State.ToString().ToLowerInvariant()}";
            exchange = exchanges.Find(requestId)!; // expired, or answered, meanwhile
        }
        if (exchange.State == ExchangeState.Expired)
        {
            exchanges.TryUpdate(exchange with { LateAnswer = activity.Json.GetRawText() }, ExchangeState.Expired);
            return "kept: the answer came after the request expired";
        }
        return "ignored: the request was answered already";
    }

    private static Exchange Answered(Exchange exchange, InboxActivity activity, DateTimeOffset now)
    {
        var detail = AsJson.String(activity.Json, "summary");
        return activity.Type switch
        {
            "Accept" => exchange with
            {
                State = ExchangeState.Accepted, Detail = detail, AnsweredAt = now, AnswerId = activity.Id, ReceivedJson = activity.Json.GetRawText(),
                Result = AsJson.Get(activity.Json, ActivityStreamsContext.Result) is { ValueKind: not JsonValueKind.Undefined } r ? r.Clone() : null,
            },
            "Reject" => exchange with
            {
                State = ExchangeState.Refused, Code = AsJson.String(activity.Json, ActivityStreamsContext.Code) ?? Core.Errors.ProblemCodes.RequestRefused,
                Detail = detail, AnsweredAt = now, AnswerId = activity.Id, ReceivedJson = activity.Json.GetRawText(),
            },
            _ => exchange with { Detail = detail },
        };
    }
}
