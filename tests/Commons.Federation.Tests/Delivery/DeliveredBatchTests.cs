using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Signatures.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// Delivered items leave the queue in batches (<see cref="DeliveryProcessor.CompleteBatchSize"/>), on the real LiteDB
/// queue: never before their inbox accepted them, all of them by the end of a round, and also when the round is cancelled
/// while another delivery still waits for its answer.
/// </summary>
public sealed class DeliveredBatchTests : IDisposable
{
    private readonly DeliveryRig _rig = new();

    public void Dispose() => _rig.Dispose();

    /// <summary>Accepts every inbox at once, except those named "slow", which wait until the round is cancelled.</summary>
    private sealed class FakeSender : IActivitySender
    {
        public int Accepted;
        public int Expected = int.MaxValue;
        public readonly TaskCompletionSource AllAccepted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<SendOutcome> PostAsync(Uri inbox, byte[] activityJson, SigningKey key, string keyId, CancellationToken ct)
        {
            if (inbox.AbsolutePath.Contains("slow", StringComparison.Ordinal)) await Task.Delay(Timeout.Infinite, ct);
            if (Interlocked.Increment(ref Accepted) == Expected) AllAccepted.SetResult();
            return new SendOutcome(202, null, null);
        }
    }

    /// <summary>The real queue, counting its writes that remove delivered items.</summary>
    private sealed class CountingQueue(IDeliveryQueue inner) : DelegatingQueue(inner)
    {
        public int Single, Batches, BatchedIds;
        public override void Complete(string id) { Interlocked.Increment(ref Single); base.Complete(id); }
        public override void Complete(IReadOnlyCollection<string> ids)
        {
            Interlocked.Increment(ref Batches);
            Interlocked.Add(ref BatchedIds, ids.Count);
            base.Complete(ids);
        }
    }

    private DeliveryProcessor Processor(IDeliveryQueue queue, IActivitySender sender) =>
        new(queue, _rig.Followers, _rig.Keys, sender, DeliveryRig.KeyIdOf, _rig.Schedule, _rig.Clock, NullLogger<DeliveryProcessor>.Instance);

    [Fact]
    public async Task A_round_removes_its_delivered_items_a_batch_at_a_time()
    {
        var inboxes = Enumerable.Range(0, 100).Select(i => $"https://peer{i % 7}.test/inbox/{i}").ToArray();
        _rig.Enqueue(inboxes);
        var queue = new CountingQueue(_rig.Queue);
        var sender = new FakeSender();

        Assert.Equal(100, await Processor(queue, sender).RunOnceAsync(CancellationToken.None));

        Assert.Equal(100, sender.Accepted);
        Assert.Equal(0, _rig.Queue.CountPending());
        Assert.Equal((0, 100), (queue.Single, queue.BatchedIds));
        Assert.Equal(2, queue.Batches); // a full batch of 64, and the rest at the end of the round
    }

    [Fact]
    public async Task A_cancelled_round_still_removes_what_was_delivered_and_keeps_what_was_not()
    {
        var fast = Enumerable.Range(0, 40).Select(i => $"https://fast.test/inbox/{i}").ToArray();
        _rig.Enqueue([.. fast, "https://other.test/slow"]);
        var sender = new FakeSender { Expected = fast.Length };
        using var cancel = new CancellationTokenSource();

        var round = Processor(_rig.Queue, sender).RunOnceAsync(cancel.Token);
        await sender.AllAccepted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => round);

        var left = _rig.Queue.Due(DateTimeOffset.MaxValue, 100);
        Assert.Equal(["https://other.test/slow"], left.Select(i => i.Inbox));
        Assert.Equal(0, left[0].Attempts);
    }

    [Fact]
    public async Task A_delivery_on_its_own_is_removed_at_once()
    {
        var item = _rig.Enqueue("https://peer.test/inbox").Single();
        var queue = new CountingQueue(_rig.Queue);
        await Processor(queue, new FakeSender()).DeliverAsync(item, CancellationToken.None);
        Assert.Equal((1, 0), (queue.Single, queue.Batches));
        Assert.Null(_rig.Queue.Find(item.Id));
    }
}
