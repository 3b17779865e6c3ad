using System.Collections.Concurrent;

namespace Commons.Federation.Replication;

/// <summary>
/// What identifies the activity a backfill page carries for one record: the dataset's settings version (its addressing,
/// excluded fields, title field), the change that gave the record its current state, and that state's revision and time.
/// Two reads with the same key build the same activity, so its proofs can be written again without signing.
/// </summary>
public readonly record struct RecordProofKey(int DatasetKey, long DatasetVersion, long Seq, string RecordId, long Revision, DateTimeOffset UpdatedAt);

/// <summary>
/// The two signatures of one record's activity (the record object's, then the activity's), by which key, made when. The
/// activity's are null when only the record object was signed (a v2 batch carries the record objects alone); the object's
/// proof is the same either way, since the object is built and signed the same.
/// </summary>
public sealed record KeptProofs(string VerificationMethod, DateTimeOffset ObjectCreated, byte[] ObjectSignature, DateTimeOffset? ActivityCreated, byte[]? ActivitySignature);

/// <summary>
/// The proofs of the activities (or record objects) a backfill served, so that the next follower's backfill (or a resumed one) does not sign
/// every record again — two eddsa-jcs-2022 proofs were a third of a page's cost on the origin. Bounded: two generations of
/// at most <see cref="GenerationSize"/> entries; when the newer one is full the older is
/// dropped, so a backfill scanning a dataset once finds what the previous scan kept. A proof is used only under the key
/// that made it (the caller asks with its current key id, and <see cref="Clear"/>s on a rotation).
/// </summary>
public sealed class RecordProofCache(int generationSize = RecordProofCache.DefaultGenerationSize)
{
    /// <summary>Per generation: with two, at most 131,072 records' proofs (about 350 bytes each with their key, so under 50 MB)
    /// are kept. A dataset larger than that is signed afresh at each full backfill: a scan longer than the cache finds nothing.</summary>
    public const int DefaultGenerationSize = 65_536;

    public int GenerationSize { get; } = generationSize > 0 ? generationSize : throw new ArgumentOutOfRangeException(nameof(generationSize));

    private readonly Lock _turn = new();
    private ConcurrentDictionary<RecordProofKey, KeptProofs> _current = new();
    private ConcurrentDictionary<RecordProofKey, KeptProofs> _previous = new();
    private int _currentCount;

    /// <summary>The proofs kept for <paramref name="key"/> by <paramref name="verificationMethod"/>, or null.</summary>
    public KeptProofs? Find(RecordProofKey key, string verificationMethod)
    {
        var found = _current.TryGetValue(key, out var kept) || _previous.TryGetValue(key, out kept) ? kept : null;
        return found is not null && found.VerificationMethod == verificationMethod ? found : null;
    }

    public void Keep(RecordProofKey key, KeptProofs proofs)
    {
        if (!_current.TryAdd(key, proofs))
        {
            _current[key] = proofs;
            return;
        }
        if (Interlocked.Increment(ref _currentCount) < GenerationSize) return;
        lock (_turn)
        {
            if (Volatile.Read(ref _currentCount) < GenerationSize) return;
            _previous = _current;
            _current = new ConcurrentDictionary<RecordProofKey, KeptProofs>();
            Volatile.Write(ref _currentCount, 0);
        }
    }

    /// <summary>Forgets every proof (an actor's keys were rotated).</summary>
    public void Clear()
    {
        lock (_turn)
        {
            _previous = new ConcurrentDictionary<RecordProofKey, KeptProofs>();
            _current = new ConcurrentDictionary<RecordProofKey, KeptProofs>();
            Volatile.Write(ref _currentCount, 0);
        }
    }

    /// <summary>Entries held now (both generations).</summary>
    public int Count => _current.Count + _previous.Count;
}
