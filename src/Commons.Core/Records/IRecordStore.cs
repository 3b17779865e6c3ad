using Commons.Core.Changes;
using Commons.Core.Modules;

namespace Commons.Core.Records;

public interface IRecordStore
{
    /// <summary>The record or its tombstone.</summary>
    Record? Get(int datasetKey, string id);

    /// <summary>
    /// Reads the record's current state (or null), lets <paramref name="decide"/> compute the new state, and writes
    /// the new state together with its change — sequence number included — in one transaction. Writes to one
    /// dataset are serialised, so <paramref name="decide"/> sees the state it replaces. If it throws, nothing is written;
    /// if it returns null, nothing is written and the current state comes back without a change.
    /// </summary>
    (Record Record, Change? Change) Commit(int datasetKey, string id, Func<Record?, RecordMutation?> decide);

    /// <summary>
    /// <see cref="Commit(int, string, Func{Record?, RecordMutation?})"/> with <paramref name="module"/>'s documents bound to
    /// the same transaction, for a kind's rules: what <paramref name="decide"/> reads there no other write changes before
    /// the commit, and what it writes there commits or rolls back with the record.
    /// </summary>
    (Record Record, Change? Change) Commit(int datasetKey, string id, string module, Func<Record?, IModuleData, RecordMutation?> decide);

    /// <summary>
    /// Many writes to one dataset in one transaction, in the order of <paramref name="ids"/>: <paramref name="decide"/> gets
    /// each index with its record's current state (as the earlier writes of this batch left it) and, when
    /// <paramref name="module"/> is given, that module's documents bound to the same transaction. Each write that decides
    /// something gets its own change, numbered in order. <paramref name="beforeCommit"/> runs once all are decided; if it
    /// or any decision throws, nothing at all is written. A null decision writes nothing for that index.
    /// </summary>
    IReadOnlyList<(Record Record, Change? Change)> CommitMany(int datasetKey, IReadOnlyList<string> ids, string? module,
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit);

    RecordPage Query(int datasetKey, RecordQuery query);
    /// <summary>Live (not deleted) records.</summary>
    long Count(int datasetKey);
}

public interface IChangeFeed
{
    /// <summary>Changes with a sequence number above <paramref name="afterSeq"/>, oldest first.</summary>
    IReadOnlyList<Change> Since(int datasetKey, long afterSeq, int limit);
    long LastSeq(int datasetKey);
}
