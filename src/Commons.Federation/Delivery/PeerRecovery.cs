using Commons.Federation.Replication;

namespace Commons.Federation.Delivery;

/// <summary>
/// A peer that sends us a signed activity is up: the deliveries to its host that were backing off after failures, and
/// the backfill of its dataset if it was backing off, are due at once instead of at their next back-off slot.
/// </summary>
public sealed class PeerRecovery(DeliveryProcessor delivery, BackfillClient backfill, WorkSignal signal)
{
    public void Heard(string actorUri)
    {
        if (!Uri.TryCreate(actorUri, UriKind.Absolute, out var actor)) return;
        if (delivery.HostAnswered(actor.Authority) > 0) signal.Delivery.Set();
        if (backfill.BringForward(actorUri)) signal.Backfill.Set();
    }
}
