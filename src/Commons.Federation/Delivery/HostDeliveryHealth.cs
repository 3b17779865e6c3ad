using Microsoft.Extensions.Logging;

namespace Commons.Federation.Delivery;

/// <summary>
/// Which hosts deliveries fail to, and when they answer again. Failures reach the owner's log without flooding it: the
/// first failure to a host at once, then at most one line per host per <see cref="Interval"/>, counting the failures in
/// between; the host answering again is logged once, and says when its backlog should go at once.
/// Kept in memory: after a restart a host still failing is logged again at its first failure.
/// </summary>
public sealed class HostDeliveryHealth(ILogger log, TimeProvider clock)
{
    private readonly Dictionary<string, HostFailures> _hosts = new(StringComparer.OrdinalIgnoreCase);
    // Hosts that answered since their last failure: their backlog was already brought forward once.
    private readonly HashSet<string> _answering = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>At most one line per failing host this often (5 minutes by default).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    public void Failed(string host, string inbox, string error, DateTimeOffset nextAttempt)
    {
        var now = clock.GetUtcNow();
        int count;
        DateTimeOffset since;
        lock (_hosts)
        {
            _answering.Remove(host);
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

    /// <summary>
    /// A delivery to <paramref name="host"/> succeeded (<paramref name="retried"/>: after failing before). True the first time
    /// the host answers after failing — seen here, or before a restart (a retried delivery) — when its backlog should go now.
    /// </summary>
    public bool Succeeded(string host, bool retried)
    {
        HostFailures? failures;
        bool recovered;
        lock (_hosts)
        {
            _hosts.Remove(host, out failures);
            recovered = failures is not null || (retried && !_answering.Contains(host));
            _answering.Add(host);
        }
        if (failures is not null) log.LogInformation("Delivery to {Host} works again after {Count} failed attempts since {Since:u}", host, failures.Total, failures.Since);
        return recovered;
    }

    private sealed class HostFailures
    {
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset LastLogged { get; set; }
        public int Total { get; set; }
        public int Unlogged { get; set; }
    }
}
