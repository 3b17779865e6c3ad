using System.Collections.Concurrent;
using Commons.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Commons.Node.Auth;

/// <summary>
/// Slows down password guessing without letting anyone lock out somebody else's correct password.
/// <para>
/// Failures are counted per account <em>and</em> address. After <c>LoginFailuresBeforeThrottle</c> of them, sign-ins to that
/// account from that address are refused before the password is checked, for a time that doubles with each further
/// failure (30 s up to 15 min): brute force on one account from one address is slowed. The same account from any other
/// address, and every other account from this address, are not affected.
/// </para>
/// <para>
/// Failures are also counted per address, whatever the name. An address with five times that many is spraying names or
/// passwords: from then on each account gets a single wrong guess from it per back-off window instead of several. An
/// account nobody has failed on from that address is still checked, so a member behind the same proxy signs in.
/// </para>
/// The address is the connection's, which is the client's only when forwarded headers are trusted from the proxy.
/// Kept in memory; a restart forgets it.
/// </summary>
public sealed class LoginThrottle(IOptions<NodeOptions> options, TimeProvider clock)
{
    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset BlockedUntil);
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(30);
    private const int AddressAllowanceFactor = 5;

    /// <summary>How long sign-ins to this account from this address must still wait, or null if the password may be checked.</summary>
    public TimeSpan? RetryAfter(string username, string? address)
    {
        var now = clock.GetUtcNow();
        return _entries.TryGetValue(PairKey(username, address), out var e) && e.BlockedUntil > now ? e.BlockedUntil - now : null;
    }

    public void Failed(string username, string? address)
    {
        var now = clock.GetUtcNow();
        var allowed = options.Value.Security.LoginFailuresBeforeThrottle;
        var fromAddress = Count(AddressKey(address), now, _ => now);
        var spraying = fromAddress.Failures > allowed * AddressAllowanceFactor;
        Count(PairKey(username, address), now, failures =>
        {
            var limit = spraying ? 1 : allowed;
            return failures < limit ? now : now + Backoff(failures - limit);
        });
        if (_entries.Count > 100_000) Prune(now);
    }

    /// <summary>A correct password clears its account's count from that address; the address's own count stays, so one valid account cannot launder a spray.</summary>
    public void Succeeded(string username, string? address) => _entries.TryRemove(PairKey(username, address), out _);

    private Entry Count(string key, DateTimeOffset now, Func<int, DateTimeOffset> blockedUntil) =>
        _entries.AddOrUpdate(key,
            _ => new Entry(1, now, blockedUntil(1)),
            (_, e) =>
            {
                var failures = now - e.LastFailure > Forget ? 1 : e.Failures + 1;
                return new Entry(failures, now, blockedUntil(failures));
            });

    private static TimeSpan Backoff(int excess) => TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Min(excess, 10)), 900));

    private static string PairKey(string username, string? address) => $"u:{address ?? ""}:{username.ToLowerInvariant()}";
    private static string AddressKey(string? address) => $"a:{address ?? ""}";

    private void Prune(DateTimeOffset now)
    {
        foreach (var (k, e) in _entries)
            if (now - e.LastFailure > Forget) _entries.TryRemove(k, out _);
    }
}
