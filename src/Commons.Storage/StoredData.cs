using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Records;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// A record body's stored form (BSON and folded search text), built outside the write gate's single thread where it can
/// be: on all cores before the transaction (<see cref="Prepare"/>), or on another core while it runs (<see cref="StoredDataAhead"/>).
/// </summary>
internal sealed class StoredData(JsonElement source, BsonValue bson, string text)
{
    public BsonValue Bson { get; } = bson;
    public string Text { get; } = text;

    /// <summary>Each target's data prepared, on all cores for a large batch; null where a target names no data.</summary>
    public static StoredData?[] Prepare(IReadOnlyList<RecordTarget> targets)
    {
        var prepared = new StoredData?[targets.Count];
        Parallel.For(0, targets.Count, new ParallelOptions { MaxDegreeOfParallelism = targets.Count < 16 ? 1 : Environment.ProcessorCount }, i =>
        {
            if (targets[i].Data is not { ValueKind: JsonValueKind.Object } data) return;
            // A body BSON cannot hold is left to the conversion inside the transaction, which refuses it there as it always has.
            try
            {
                var (bson, text) = JsonBson.ToBsonWithText(data);
                prepared[i] = new StoredData(data, bson, text);
            }
            catch (ValidationException) { }
        });
        return prepared;
    }

    /// <summary>The target's data prepared, or null where it names none or BSON cannot hold it (the transaction then converts, and refuses, it).</summary>
    public static StoredData? TryBuild(RecordTarget target)
    {
        if (target.Data is not { ValueKind: JsonValueKind.Object } data) return null;
        // Whatever fails here fails again in the transaction's own conversion, which then throws it on the caller's thread.
        try
        {
            var (bson, text) = JsonBson.ToBsonWithText(data);
            return new StoredData(data, bson, text);
        }
        catch (Exception) { return null; }
    }

    /// <summary>
    /// Itself when <paramref name="record"/> writes the very element this was built from, else null (the record's own data is
    /// then converted). An identity test, not a comparison of contents: the two elements' UTF-8 is the same memory, which
    /// only the same element of the same live document gives (<see cref="JsonElement"/>'s default Equals tests the same
    /// by reflection, boxing both).
    /// </summary>
    public StoredData? For(Record record) => !record.Deleted && record.Data.ValueKind != JsonValueKind.Undefined && SameMemory(record.Data, source) ? this : null;

    private static bool SameMemory(JsonElement a, JsonElement b)
    {
        var x = JsonMarshal.GetRawUtf8Value(a);
        var y = JsonMarshal.GetRawUtf8Value(b);
        return x.Length == y.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y));
    }
}

/// <summary>
/// The stored forms of a batch's records, built in order by another thread at most <see cref="Lead"/> records ahead of
/// the transaction that inserts them. Built all at once beforehand, a batch's BSON stays alive through the whole
/// insert, and every collection during it copies it to an older generation; built just ahead, each document is
/// garbage soon after it is written, and the building overlaps LiteDB's single-threaded insert.
/// A record the builder has not started when it is asked for is built by the asking thread, so neither ever waits on
/// work that is not under way.
/// </summary>
internal sealed class StoredDataAhead : IDisposable
{
    public const int Lead = 64;
    private const int NotStarted = 0, Building = 1, Built = 2;

    private readonly IReadOnlyList<RecordTarget> _targets;
    private readonly StoredData?[] _built;
    private readonly int[] _state;
    private readonly object _gate = new();
    private readonly Task? _builder;
    private int _asked;
    private bool _stopped;

    public StoredDataAhead(IReadOnlyList<RecordTarget> targets, bool inBackground)
    {
        _targets = targets;
        _built = new StoredData?[targets.Count];
        _state = new int[targets.Count];
        if (inBackground) _builder = Task.Run(BuildAhead);
    }

    /// <summary>The stored form of target <paramref name="index"/>; asked for in increasing order of index.</summary>
    public StoredData? Take(int index)
    {
        lock (_gate)
        {
            _asked = index + 1;
            Monitor.PulseAll(_gate);
        }
        if (Interlocked.CompareExchange(ref _state[index], Building, NotStarted) == NotStarted) return StoredData.TryBuild(_targets[index]);
        var wait = new SpinWait();
        // A record under way takes microseconds: yield to the builder, never sleep a millisecond.
        while (Volatile.Read(ref _state[index]) != Built) wait.SpinOnce(sleep1Threshold: -1);
        var built = _built[index];
        _built[index] = null; // the document it goes into is all that keeps it alive now
        return built;
    }

    private void BuildAhead()
    {
        for (var i = 0; i < _targets.Count; i++)
        {
            lock (_gate)
            {
                while (!_stopped && i >= _asked + Lead) Monitor.Wait(_gate);
                if (_stopped) return;
            }
            if (Interlocked.CompareExchange(ref _state[i], Building, NotStarted) != NotStarted) continue;
            try { _built[i] = StoredData.TryBuild(_targets[i]); }
            finally { Volatile.Write(ref _state[i], Built); } // never leave the asking thread waiting on a record
        }
    }

    /// <summary>Stops the builder and waits for it, so that no work of a finished (or failed) batch goes on.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
        _builder?.Wait();
    }
}
