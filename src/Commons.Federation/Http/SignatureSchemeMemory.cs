using Commons.Federation.Signatures;

namespace Commons.Federation.Http;

/// <summary>
/// Remembers per host which HTTP signature scheme the host accepted, for a while (peers upgrade), in memory
/// and bounded. Thread-safe.
/// </summary>
public sealed class SignatureSchemeMemory
{
    private readonly Dictionary<string, (HttpSignatureScheme Scheme, DateTimeOffset Expires)> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeToLive;
    private readonly int _capacity;

    public SignatureSchemeMemory(TimeProvider? clock = null, TimeSpan? timeToLive = null, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _clock = clock ?? TimeProvider.System;
        _timeToLive = timeToLive ?? TimeSpan.FromDays(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_timeToLive, TimeSpan.Zero, nameof(timeToLive));
        _capacity = capacity;
    }

    public HttpSignatureScheme? Get(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            if (!_entries.TryGetValue(host, out var entry))
            {
                return null;
            }
            if (entry.Expires <= _clock.GetUtcNow())
            {
                _entries.Remove(host);
                return null;
            }
            return entry.Scheme;
        }
    }

    public void Remember(string host, HttpSignatureScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(host);
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            if (_entries.Count >= _capacity && !_entries.ContainsKey(host))
            {
                foreach (var expired in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
                {
                    _entries.Remove(expired);
                }
                if (_entries.Count >= _capacity)
                {
                    // Forgetting only costs one extra round trip per host.
                    _entries.Clear();
                }
            }
            _entries[host] = (scheme, now + _timeToLive);
        }
    }

    public void Forget(string host)
    {
        lock (_lock)
        {
            _entries.Remove(host);
        }
    }
}
