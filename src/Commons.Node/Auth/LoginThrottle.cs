using System.Collections.Concurrent;
using Commons.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Commons.Node.Auth;

/// <summary>
/// Slows down password guessing: after a few failures for one username or from one address, further attempts are
/// refused for a time that doubles with each failure (30 s up to 15 min). Kept in memory; a restart forgets it.
/// </summary>
public sealed class LoginThrottle(IOptions<NodeOptions> options, TimeProvider clock)
{
    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset BlockedUntil);
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(30);

    /// <summary>How long the caller must still wait, or null if it may try.</summary>
    public TimeSpan? RetryAfter(string username, string? address)
    {
        var now = clock.GetUtcNow();
        var wait = new[] { Key("u", username), Key("a", address) }
            .Select(k => _entries.TryGetValue(k, out var e) && e.BlockedUntil > now ? e.BlockedUntil - now : TimeSpan.Zero)
            .Max();
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string username, string? address)
    {
        var now = clock.GetUtcNow();
        var allowed = options.Value.Security.LoginFailuresBeforeThrottle;
        // An address gets more room than a username: many members may sign in from behind one proxy.
        foreach (var (key, limit) in new[] { (Key("u", username), allowed), (Key("a", address), allowed * 5) })
        {
            _entries.AddOrUpdate(key,
                _ => new Entry(1, now, now),
                (_, e) =>
                {
                    var failures = now - e.LastFailure > Forget ? 1 : e.Failures + 1;
                    var blocked = failures < limit ? now : now + Backoff(failures - limit);
                    return new Entry(failures, now, blocked);
                });
        }
        if (_entries.Count > 100_000) Prune(now);
    }

    public void Succeeded(string username) => _entries.TryRemove(Key("u", username), out _);

    private static TimeSpan Backoff(int excess) => TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Min(excess, 10)), 900));

    private static string Key(string kind, string? value) => $"{kind}:{(value ?? "").ToLowerInvariant()}";

    private void Prune(DateTimeOffset now)
    {
        foreach (var (k, e) in _entries)
            if (now - e.LastFailure > Forget) _entries.TryRemove(k, out _);
    }
}
