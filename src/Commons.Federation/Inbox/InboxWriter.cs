using System.Collections.Concurrent;
using Commons.Core.Federation;

namespace Commons.Federation.Inbox;

/// <summary>
/// Stores verified activities in groups: each request queues its activity and waits until it is stored; whichever waiting
/// request holds the turn writes everything queued so far (up to <see cref="MaxGroup"/>) in ONE transaction, and every
/// request of the group is answered only after that commit. Under load many activities share a transaction; alone, an
/// activity is written at once (no timer, no waiting for company).
/// Order: activities are stored in the order they were queued, each stamped with a receipt time later than the one
/// before it, so the processor (which reads by receipt time) sees them in that order — per sender too.
/// </summary>
public sealed class InboxWriter(IInboxStore store, TimeProvider clock)
{
    /// <summary>Activities written in one transaction at most (bounds the time a request waits behind others).</summary>
    public const int MaxGroup = 256;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private DateTimeOffset _lastStamp;

    /// <summary>Number of transactions written (for tests and the benchmark's report).</summary>
    public long Groups => Interlocked.Read(ref _groups);
    private long _groups;

    /// <summary>Stores the entry (its <see cref="InboxEntry.ReceivedAt"/> is set here); false when its id was received before.</summary>
    public async Task<bool> AddAsync(InboxEntry entry)
    {
        var pending = new Pending(entry);
        _queue.Enqueue(pending);
        // Not cancellable: once queued the activity is written whether or not its sender still waits for the answer.
        while (!pending.Stored.Task.IsCompleted)
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            try
            {
                if (!pending.Stored.Task.IsCompleted) WriteQueued();
            }
            finally
            {
                _turn.Release();
            }
        }
        return await pending.Stored.Task.ConfigureAwait(false);
    }

    /// <summary>Writes one group from the head of the queue (which holds the caller's own entry or entries queued before it).</summary>
    private void WriteQueued()
    {
        var group = new List<Pending>(Math.Min(_queue.Count, MaxGroup));
        while (group.Count < MaxGroup && _queue.TryDequeue(out var next)) group.Add(next);
        if (group.Count == 0) return;
        try
        {
            var entries = group.Select(p => p.Entry with { ReceivedAt = NextStamp() }).ToList();
            var stored = store.TryAddMany(entries);
            Interlocked.Increment(ref _groups);
            for (var i = 0; i < group.Count; i++) group[i].Stored.TrySetResult(stored[i]);
        }
        catch (Exception e)
        {
            // Nothing of the group was stored: every request of it fails (the sender retries), none is acknowledged.
            foreach (var p in group) p.Stored.TrySetException(e);
        }
    }

    /// <summary>The clock's time, or one tick after the previous stamp when the clock has not moved (only the turn holder calls it).</summary>
    private DateTimeOffset NextStamp()
    {
        var now = clock.GetUtcNow();
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddTicks(1);
        return _lastStamp;
    }

    private sealed class Pending(InboxEntry entry)
    {
        public InboxEntry Entry { get; } = entry;
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
