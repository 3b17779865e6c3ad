using Microsoft.Extensions.Logging;

namespace Commons.Federation.Delivery;

/// <summary>
/// Failed deliveries in the owner's log without flooding it: the first failure to a host is logged at once, then at most
/// one line per host per <see cref="Interval"/>, counting the failures in between; the host answering again is logged once.
/// Kept in memory: after a restart a host still failing is logged again at its first failure.
/// </summary>
public sealed class DeliveryFailureLog(ILogger log, TimeProvider clock)
{
    private readonly Dictionary<string, HostFailures> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>At most one line per failing host this often (5 minutes by default).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    public void Failed(string host, string inbox, string error, DateTimeOffset nextAttempt)
    {
        var now = clock.GetUtcNow();
        int count;
        DateTimeOffset since;
        lock (_hosts)
        {
            if (!_hosts.TryGetValue(host, out var failures))
                _hosts[host] = failures = new HostFailures { Since = now, LastLogged = DateTimeOffset.MinValue };
            failures.Total++;
            failures.Unlogged++;
            if (now - failures.LastLogged < Interval) return;
            count = failures.Unlogged;
            since = failures.Since;
            failures.Unlogged = 0;
            failures.LastLogged = now;
        }
        log.LogWarning("Delivery to {Host} failed ({Error}, inbox {Inbox}): {Count} failed attempts to it since the last line, failing since {Since:u}; retried from {Next:u}",
            host, error, inbox, count, since, nextAttempt);
    }

    /// <summary>Whether deliveries to <paramref name="host"/> have failed since the last one that went through.</summary>
    public bool IsFailing(string host)
    {
        lock (_hosts) return _hosts.ContainsKey(host);
    }

    /// <summary>A delivery to <paramref name="host"/> succeeded; true when it had been failing (it is logged as back).</summary>
    public bool Succeeded(string host)
    {
        HostFailures? failures;
        lock (_hosts)
        {
            if (!_hosts.Remove(host, out failures)) return false;
        }
        log.LogInformation("Delivery to {Host} works again after {Count} failed attempts since {Since:u}", host, failures.Total, failures.Since);
        return true;
    }

    private sealed class HostFailures
    {
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset LastLogged { get; set; }
        public int Total { get; set; }
        public int Unlogged { get; set; }
    }
}
