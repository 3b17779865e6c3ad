namespace Commons.Federation.Signatures.Keys;

/// <summary>
/// Bounded, thread-safe LRU cache of imported verification keys, keyed by keyId or PEM text.
/// Importing an RSA key costs several times a verification, so callers import each key once.
/// Evicted keys are not disposed: another thread may still be verifying with them.
/// </summary>
public sealed class PublicKeyCache
{
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<(string Key, VerificationKey Value)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, VerificationKey Value)> _recency = new();
    private readonly Lock _lock = new();

    public PublicKeyCache(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(string cacheKey, out VerificationKey? key)
    {
        ArgumentNullException.ThrowIfNull(cacheKey);
        lock (_lock)
        {
            if (_map.TryGetValue(cacheKey, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                key = node.Value.Value;
                return true;
            }
        }
        key = null;
        return false;
    }

    /// <summary>Returns the cached key or imports it with <paramref name="import"/> (outside the lock) and caches it.</summary>
    public VerificationKey GetOrAdd(string cacheKey, Func<string, VerificationKey> import)
    {
        ArgumentNullException.ThrowIfNull(import);
        if (TryGet(cacheKey, out var cached))
        {
            return cached!;
        }
        var imported = import(cacheKey);
        lock (_lock)
        {
            if (_map.TryGetValue(cacheKey, out var raced))
            {
                return raced.Value.Value;
            }
            var node = _recency.AddFirst((cacheKey, imported));
            _map[cacheKey] = node;
            while (_map.Count > _capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
        return imported;
    }

    /// <summary>Imports a PEM public key once; later calls with the same text reuse it.</summary>
    public VerificationKey GetOrImportPem(string pem) => GetOrAdd(pem, PemKeyImporter.ImportVerificationKey);

    /// <summary>Caches under <paramref name="keyId"/>; <paramref name="pem"/> is imported only on a miss.</summary>
    public VerificationKey GetOrImportPem(string keyId, string pem) => GetOrAdd(keyId, _ => PemKeyImporter.ImportVerificationKey(pem));

    public void Invalidate(string cacheKey)
    {
        lock (_lock)
        {
            if (_map.Remove(cacheKey, out var node))
            {
                _recency.Remove(node);
            }
        }
    }
}
