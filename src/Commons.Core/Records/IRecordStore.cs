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
