using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Federation;

namespace Commons.Federation.Delivery;

/// <summary>The delivery queue's numbers: waiting, failed at least once and waiting again, given up.</summary>
public sealed record DeliveryCounts(long Pending, long Retrying, long Dead);

/// <summary>
/// The delivery queue as administrators see and steer it (API, pages, CLI), and the one place that decides who may:
/// an administrator whose credential has the admin scope (<see cref="DatasetAccess.RequireAdmin"/>). The queue's own
/// work (fan-out, sending, back-off, a peer's recovery) is <see cref="DeliveryProcessor"/>'s and has no caller.
/// </summary>
public sealed class DeliveryAdmin(IDeliveryQueue queue, DeliveryProcessor processor, WorkSignal signal)
{
    /// <summary>Whether the caller may see and steer deliveries (pages ask before showing the numbers or the way there).</summary>
    public static bool MayAdminister(Caller caller) => caller.CanAdminister;

    /// <summary>Live deliveries (<paramref name="dead"/> false) or dead letters, oldest first.</summary>
    public IReadOnlyList<DeliveryItem> List(Caller caller, bool dead, int limit)
    {
        DatasetAccess.RequireAdmin(caller);
        return queue.List(dead, limit);
    }

    public IReadOnlyList<DeliveryItem> Page(Caller caller, bool dead, int offset, int limit)
    {
        DatasetAccess.RequireAdmin(caller);
        return queue.Page(dead, offset, limit);
    }

    public DeliveryCounts Counts(Caller caller)
    {
        DatasetAccess.RequireAdmin(caller);
        return new DeliveryCounts(queue.CountPending(), queue.CountRetrying(), queue.CountDead());
    }

    /// <summary>A dead letter, or null when <paramref name="id"/> names none (a live delivery is not one).</summary>
    public DeliveryItem? FindDead(Caller caller, string id)
    {
        DatasetAccess.RequireAdmin(caller);
        return queue.Find(id) is { Dead: true } item ? item : null;
    }

    /// <summary>Tries a delivery again now, dead letters included, with a fresh give-up window.</summary>
    public void Retry(Caller caller, string id)
    {
        DatasetAccess.RequireAdmin(caller);
        if (!processor.Retry(id)) throw new NotFoundException($"no delivery '{id}'");
        signal.Delivery.Set();
    }

    /// <summary>Tries every dead letter again now; returns how many went back to the queue.</summary>
    public int RetryAllDead(Caller caller)
    {
        DatasetAccess.RequireAdmin(caller);
        var retried = processor.RetryAllDead();
        signal.Delivery.Set();
        return retried;
    }

    /// <summary>Deletes a dead letter for good; a live delivery is never discarded (not found).</summary>
    public void Discard(Caller caller, string id)
    {
        DatasetAccess.RequireAdmin(caller);
        if (!queue.Discard(id)) throw new NotFoundException($"no dead letter '{id}'");
    }
}
