namespace Commons.Federation.Http;

/// <summary>
/// At most N requests in flight per host; callers beyond that wait their turn. A host's semaphore exists only
/// while someone holds or waits for it, so the table does not grow with every host ever contacted.
/// </summary>
public sealed class HostConcurrencyLimiter
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private readonly int _maxPerHost;

    public HostConcurrencyLimiter(int maxPerHost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerHost, 1);
        _maxPerHost = maxPerHost;
    }

    /// <summary>Hosts with requests in flight or waiting (for diagnostics and tests).</summary>
    public int ActiveHosts
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Waits for a slot for <paramref name="host"/>; dispose the result to free it.</summary>
    public async ValueTask<IDisposable> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(host, out entry!))
            {
                entry = new Entry(new SemaphoreSlim(_maxPerHost, _maxPerHost));
                _entries[host] = entry;
            }
            entry.Users++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(host, entry);
            throw;
        }
        return new Slot(this, host, entry);
    }

    private void Leave(string host, Entry entry)
    {
        lock (_lock)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(host);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore { get; } = semaphore;

        public int Users { get; set; }
    }

    private sealed class Slot(HostConcurrencyLimiter owner, string host, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(host, entry);
            }
        }
    }
}
