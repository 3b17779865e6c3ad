using System.Text.Json.Nodes;
using Commons.Core.Federation;

namespace Commons.Federation.Delivery;

/// <summary>Puts activities on the durable delivery queue (one delivery per distinct inbox) and wakes the delivery worker.</summary>
public sealed class Outbox(IDeliveryQueue queue, WorkSignal signal, TimeProvider clock)
{
    public void Send(string sender, JsonObject activity, IEnumerable<string> inboxes)
    {
        queue.Enqueue(Items(sender, activity, inboxes));
        signal.Delivery.Set();
    }

    public IEnumerable<DeliveryItem> Items(string sender, JsonObject activity, IEnumerable<string> inboxes)
    {
        var json = activity.ToJsonString();
        var type = activity["type"]?.GetValue<string>();
        var now = clock.GetUtcNow();
        return inboxes.Distinct(StringComparer.Ordinal).Select(inbox => new DeliveryItem
        {
            Id = Guid.NewGuid().ToString("N"), Inbox = inbox, Sender = sender, ActivityJson = json, ActivityType = type,
            CreatedAt = now, NextAttemptAt = now,
        }).ToList();
    }
}

/// <summary>Wakes the background workers when there is work, so they need not poll often.</summary>
public sealed class WorkSignal
{
    public AutoResetSignal Delivery { get; } = new();
    public AutoResetSignal Inbox { get; } = new();
    public AutoResetSignal FanOut { get; } = new();
    public AutoResetSignal Backfill { get; } = new();
}

public sealed class AutoResetSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try { _semaphore.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>Waits until set or until <paramref name="timeout"/>; false on timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}
