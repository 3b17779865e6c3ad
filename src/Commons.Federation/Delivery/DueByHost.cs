using System.Diagnostics.CodeAnalysis;
using Commons.Core.Federation;
using Commons.Federation.Signatures.Digests;

namespace Commons.Federation.Delivery;

/// <summary>One due delivery handed to a worker: the item, its inbox parsed once, its host and its body (shared by the change's deliveries).</summary>
internal sealed class DeliveryTurn(DeliveryItem item, Uri? inbox, string host, DigestedBody body, DueByHost.HostTurns turns)
{
    public DeliveryItem Item { get; } = item;
    public Uri? Inbox { get; } = inbox;
    public string Host { get; } = host;
    public DigestedBody Body { get; } = body;
    internal DueByHost.HostTurns Turns { get; } = turns;
}

/// <summary>
/// The due deliveries of one round, handed to workers one at a time: hosts take turns, and a host with
/// <c>maxPerHost</c> deliveries in flight is passed over until one of them ends, so a slow host holds at most that many
/// workers while other peers are served. One item at a time rather than lanes dealt out in advance: with lanes, the last
/// lane to start ran its items one after another at the end of every round while the other workers had nothing left to do.
/// A worker that finds nothing it may take ends; each slot that frees up belongs to a worker that is still running (the
/// one that just finished there), so what remains is always taken.
/// </summary>
internal sealed class DueByHost
{
    private readonly HostTurns[] _hosts;
    private readonly int _maxPerHost;
    private readonly Lock _lock = new();
    private int _next;
    private bool _stopped;

    public DueByHost(IReadOnlyList<DeliveryItem> due, Func<DeliveryItem, Uri?> inboxOf, int maxPerHost)
    {
        _maxPerHost = Math.Max(maxPerHost, 1);
        // A change's deliveries share one JSON string (the queue reads each body once per poll): it is encoded and digested
        // once per round, looked up by reference rather than by hashing ~6 KB of text for every delivery.
        var bodies = new Dictionary<string, DigestedBody>(ReferenceEqualityComparer.Instance);
        var hosts = new Dictionary<string, HostTurns>(StringComparer.OrdinalIgnoreCase);
        var order = new List<HostTurns>();
        foreach (var item in due)
        {
            if (!bodies.TryGetValue(item.ActivityJson, out var body))
            {
                body = DigestedBody.FromText(item.ActivityJson);
                bodies[item.ActivityJson] = body;
            }
            var inbox = inboxOf(item);
            var host = inbox?.Authority ?? item.Inbox;
            if (!hosts.TryGetValue(host, out var turns))
            {
                turns = new HostTurns();
                hosts[host] = turns;
                order.Add(turns);
            }
            turns.Waiting.Enqueue(new DeliveryTurn(item, inbox, host, body, turns));
        }
        _hosts = [.. order];
    }

    /// <summary>The next delivery of the next host in turn that may have one more in flight; false when there is none (or after <see cref="Stop"/>).</summary>
    public bool TryTake([NotNullWhen(true)] out DeliveryTurn? turn)
    {
        lock (_lock)
        {
            for (var k = 0; !_stopped && k < _hosts.Length; k++)
            {
                var index = (_next + k) % _hosts.Length;
                var host = _hosts[index];
                if (host.InFlight >= _maxPerHost || !host.Waiting.TryDequeue(out turn)) continue;
                host.InFlight++;
                _next = (index + 1) % _hosts.Length;
                return true;
            }
        }
        turn = null;
        return false;
    }

    /// <summary>The delivery of <paramref name="turn"/> ended (whatever its outcome): its host may have another.</summary>
    public void Done(DeliveryTurn turn)
    {
        lock (_lock) turn.Turns.InFlight--;
    }

    /// <summary>Nothing more is handed out (a worker failed, or the round is cancelled).</summary>
    public void Stop()
    {
        lock (_lock) _stopped = true;
    }

    internal sealed class HostTurns
    {
        public Queue<DeliveryTurn> Waiting { get; } = new();

        public int InFlight { get; set; }
    }
}
