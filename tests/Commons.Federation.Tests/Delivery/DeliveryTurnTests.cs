using System.Collections.Concurrent;
using System.Diagnostics;
using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Signatures.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// How a round hands its due deliveries to the workers (<see cref="DeliveryProcessor.RunOnceAsync"/>), on the real LiteDB
/// queue: one at a time, hosts in turn, never more than <see cref="DeliveryProcessor.MaxPerHost"/> of one host at once.
/// </summary>
public sealed class DeliveryTurnTests : IDisposable
{
    private readonly DeliveryRig _rig = new();

    public void Dispose() => _rig.Dispose();

    /// <summary>Answers 202 at once, except the deliveries it holds until <see cref="Release"/>; counts what is in flight per host.</summary>
    private sealed class HoldingSender(Func<Uri, int, bool> holds) : IActivitySender
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private readonly ConcurrentDictionary<string, int> _calls = new();
        public readonly ConcurrentDictionary<string, int> MaxInFlight = new();
        public int Accepted;

        public void Release() => _release.TrySetResult();

        public async Task<SendOutcome> PostAsync(Uri inbox, byte[] activityJson, SigningKey key, string keyId, CancellationToken ct)
        {
            var host = inbox.Authority;
            var call = _calls.AddOrUpdate(host, 1, (_, n) => n + 1);
            var now = _inFlight.AddOrUpdate(host, 1, (_, n) => n + 1);
            MaxInFlight.AddOrUpdate(host, now, (_, n) => Math.Max(n, now));
            try
            {
                // Bounded, so that a failing test still ends.
                if (holds(inbox, call)) await _release.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                Interlocked.Increment(ref Accepted);
                return new SendOutcome(202, null, null);
            }
            finally
            {
                _inFlight.AddOrUpdate(host, 0, (_, n) => n - 1);
            }
        }
    }

    private DeliveryProcessor Processor(IActivitySender sender) =>
        new(_rig.Queue, _rig.Followers, _rig.Keys, sender, DeliveryRig.KeyIdOf, _rig.Schedule, _rig.Clock, NullLogger<DeliveryProcessor>.Instance);

    private static async Task WaitFor(Func<bool> done, Task round)
    {
        var waited = Stopwatch.StartNew();
        while (!done() && !round.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
    }

    [Fact]
    public async Task A_held_delivery_does_not_hold_up_its_hosts_later_deliveries()
    {
        // Eight inboxes on one host; the first delivery to it is held. Its other seven go meanwhile, four at a time at most:
        // with deliveries dealt out to per-host lanes in advance, the one behind the held delivery in its lane waited for it.
        _rig.Enqueue([.. Enumerable.Range(0, 8).Select(i => $"https://peer.test/inbox/{i}")]);
        var sender = new HoldingSender((_, call) => call == 1);

        var round = Processor(sender).RunOnceAsync(CancellationToken.None);
        await WaitFor(() => Volatile.Read(ref sender.Accepted) >= 7, round);
        var deliveredWhileHeld = Volatile.Read(ref sender.Accepted);
        sender.Release();

        Assert.Equal(8, await round);
        Assert.Equal(7, deliveredWhileHeld);
        Assert.InRange(sender.MaxInFlight["peer.test"], 1, 4);
        Assert.Equal(0, _rig.Queue.CountPending());
    }

    [Fact]
    public async Task A_slow_host_holds_at_most_its_share_of_the_workers()
    {
        // A host whose every delivery is held, and a fast host with more deliveries than there are workers, in one round.
        // Without the per-host limit the workers, taking the hosts in turn, would one by one all end up held by the slow host.
        _rig.Enqueue([.. Enumerable.Range(0, 40).Select(i => $"https://slow.test/inbox/{i}")]);
        _rig.Enqueue([.. Enumerable.Range(0, 100).Select(i => $"https://fast.test/inbox/{i}")]);
        var sender = new HoldingSender((inbox, _) => inbox.Host == "slow.test");

        var round = Processor(sender).RunOnceAsync(CancellationToken.None);
        await WaitFor(() => Volatile.Read(ref sender.Accepted) >= 100, round);
        var fastWhileSlowHeld = Volatile.Read(ref sender.Accepted);
        sender.Release();

        Assert.Equal(140, await round);
        Assert.Equal(100, fastWhileSlowHeld);
        Assert.Equal(4, sender.MaxInFlight["slow.test"]);
        Assert.Equal(0, _rig.Queue.CountPending());
    }
}
