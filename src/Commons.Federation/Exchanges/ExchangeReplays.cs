using Commons.Core.Exchanges;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Inbox;

namespace Commons.Federation.Exchanges;

/// <summary>
/// A request whose id the inbox has already stored never reaches the processor again: the receiver tells this listener,
/// which sends the answer again (only to the actor that asked, as signed the first time) and changes nothing.
/// </summary>
public sealed class ExchangeReplays(IExchangeStore exchanges, ExchangeAnswering answering) : IRepeatedActivityListener
{
    public void OnRepeated(IncomingActivity activity)
    {
        if (activity.Type != "Offer" || activity.Id is null) return;
        if (exchanges.Find(activity.Id) is { Direction: ExchangeDirection.Incoming } exchange) answering.Repeat(exchange, activity.ActorId);
    }
}
