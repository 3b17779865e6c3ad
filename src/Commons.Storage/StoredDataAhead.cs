using System.Runtime.ExceptionServices;
using System.Text.Json;
using Commons.Core.Records;

namespace Commons.Storage;

/// <summary>
/// A batch's records made ready for the transaction that writes them: each one checked by the caller's check (when given)
/// and its stored form built from the data the check returned, either all at once on all cores (<see cref="AllNow"/>), or
/// in order by another thread at most <see cref="Lead"/> records ahead of the write (<see cref="Ahead"/>).
/// <para>
/// Built all at once beforehand, a batch's BSON stays alive through the whole insert, and every collection during it copies
/// it to an older generation; built just ahead, each document is garbage soon after it is written, and the checking and
/// building overlap LiteDB's single-threaded insert. A record the builder has not started when it is asked for is made
/// ready by the asking thread, so neither ever waits on work that is not under way. Each record is made ready once, by
/// one thread; what that thread saw and wrote is visible to the asking thread when <see cref="Take"/> returns.
/// </para>
/// </summary>
internal sealed class StoredDataAhead : IDisposable
{
    public const int Lead = 64;
    private const int Wake = 16;
    private const int NotStarted = 0, Building = 1, Built = 2;

    private readonly IReadOnlyList<RecordTarget> _targets;
    private readonly Func<int, JsonElement?>? _check;
    private readonly StoredData?[] _built;
    private readonly ExceptionDispatchInfo?[] _failed;
    private readonly int[] _state;
    private readonly object _gate = new();
    private readonly Task? _builder;
    private int _asked;
    private bool _stopped;

    private StoredDataAhead(IReadOnlyList<RecordTarget> targets, Func<int, JsonElement?>? check)
    {
        _targets = targets;
        _check = check;
        _built = new StoredData?[targets.Count];
        _failed = new ExceptionDispatchInfo?[targets.Count];
        _state = new int[targets.Count];
    }

    private StoredDataAhead(IReadOnlyList<RecordTarget> targets, Func<int, JsonElement?>? check, bool inBackground) : this(targets, check)
    {
        // Its own thread: the builder waits on the writer for the whole batch, and a pool thread held that long is one
        // fewer for the requests being served meanwhile.
        if (inBackground) _builder = Task.Factory.StartNew(BuildAhead, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Records made ready by another thread just ahead of the asking one (or, when not <paramref name="inBackground"/>, each
    /// by the asking thread). <paramref name="check"/> runs once per record, on either thread, before its stored form is built.
    /// </summary>
    public static StoredDataAhead Ahead(IReadOnlyList<RecordTarget> targets, Func<int, JsonElement?>? check, bool inBackground) =>
        new(targets, check, inBackground);

    /// <summary>Every record made ready now, on all cores for a large batch (a kind's batch writes each record as it is decided).</summary>
    public static StoredDataAhead AllNow(IReadOnlyList<RecordTarget> targets, Func<int, JsonElement?>? check)
    {
        var all = new StoredDataAhead(targets, check);
        Parallel.For(0, targets.Count, new ParallelOptions { MaxDegreeOfParallelism = targets.Count < 16 ? 1 : Environment.ProcessorCount }, i =>
        {
            all._state[i] = Building;
            all.MakeReady(i);
        });
        return all;
    }

    /// <summary>
    /// Record <paramref name="index"/> checked, and its stored form (null where there is none to use); asked for in
    /// increasing order of index. A check that threw throws here, on the asking thread. Asked again (a batch decided a
    /// second time), a record is not checked again and its stored form is built in the transaction.
    /// </summary>
    public StoredData? Take(int index)
    {
        // The builder is woken once per <see cref="Wake"/> records, not for each: a wake-up costs both threads a system call.
        if (_builder is not null && index % Wake == 0)
            lock (_gate)
            {
                _asked = index + 1;
                Monitor.PulseAll(_gate);
            }
        if (Interlocked.CompareExchange(ref _state[index], Building, NotStarted) == NotStarted) MakeReady(index);
        var wait = new SpinWait();
        // The builder has this record under way (on a busy machine it may be descheduled in the middle of it): make the
        // next records ready meanwhile, else yield to the builder; never sleep a millisecond.
        while (Volatile.Read(ref _state[index]) != Built)
            if (!MakeNextReady(index + 1)) wait.SpinOnce(sleep1Threshold: -1);
        _failed[index]?.Throw();
        var built = _built[index];
        _built[index] = null; // the document it goes into is all that keeps it alive now
        return built;
    }

    /// <summary>Claims and makes ready the first record not started within <see cref="Lead"/> records from <paramref name="from"/>, if any.</summary>
    private bool MakeNextReady(int from)
    {
        for (var i = from; i < Math.Min(from + Lead, _state.Length); i++)
            if (Volatile.Read(ref _state[i]) == NotStarted && Interlocked.CompareExchange(ref _state[i], Building, NotStarted) == NotStarted)
            {
                MakeReady(i);
                return true;
            }
        return false;
    }

    /// <summary>Checks and builds one record claimed by this thread; whatever happens, it ends <see cref="Built"/>.</summary>
    private void MakeReady(int index)
    {
        try { _built[index] = StoredData.TryBuild(_check is null ? _targets[index].Data : _check(index)); }
        catch (Exception e) { _failed[index] = ExceptionDispatchInfo.Capture(e); }
        finally { Volatile.Write(ref _state[index], Built); } // never leave the asking thread waiting on a record
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
            MakeReady(i);
            if (_failed[i] is not null) return; // the asking thread throws it; it checks the rest itself if asked to
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
