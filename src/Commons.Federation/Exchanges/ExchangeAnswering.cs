using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Federation.Delivery;
using Commons.Federation.Replication;

namespace Commons.Federation.Exchanges;

/// <summary>
/// Sends the asked dataset's answer: an Accept or Reject built from the decision, proven and HTTP-signed by the dataset's
/// own key, put on the durable delivery queue to the requester's inbox. The signed answer is kept on the exchange, so a
/// repeated request gets the very same answer (same id, same proof) and nothing else happens.
/// </summary>
public sealed class ExchangeAnswering(IExchangeStore exchanges, ObjectProofs proofs, Outbox outbox, TimeProvider clock)
{
    /// <summary>Answers a pending exchange; a conflict when it was answered meanwhile (nothing is sent then).</summary>
    public Exchange Answer(Exchange exchange, RequestDecision decision, string? answeredBy)
    {
        var now = clock.GetUtcNow();
        var answer = proofs.Sign(exchange.DatasetSlug!, ExchangeActivities.Answer(exchange, decision, Guid.NewGuid(), now));
        var json = answer.ToJsonString(ActivityStreams.ActivityStreamsContext.WireOptions);
        var answered = exchange with
        {
            State = decision.State, Code = decision.Code, Detail = decision.Detail, Result = decision.Result, AnsweredAt = now, AnsweredBy = answeredBy,
            AnswerId = answer["id"]!.GetValue<string>(), SentJson = json,
        };
        if (!exchanges.TryUpdate(answered, ExchangeState.Pending))
            throw new ConflictException("the request was answered meanwhile", ProblemCodes.ExchangeNotPending);
        outbox.Send(exchange.DatasetSlug!, answer, [exchange.PeerInbox]);
        return answered;
    }

    /// <summary>A request seen before, from <paramref name="signer"/>: its answer again, if it has one and the signer asked it.</summary>
    public string Repeat(Exchange exchange, string signer)
    {
        if (exchange.Direction != ExchangeDirection.Incoming || exchange.RequesterActor != signer) return "refused: the request id is someone else's";
        if (exchange.SentJson is null) return "repeated: still pending, nothing to answer yet";
        outbox.Send(exchange.DatasetSlug!, (JsonObject)JsonNode.Parse(exchange.SentJson)!, [exchange.PeerInbox]);
        return "repeated: answered again";
    }
}
