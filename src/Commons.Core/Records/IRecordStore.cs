using System.Text.Json;
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
    /// A create under an id the caller has just generated (so almost surely unused): <paramref name="decide"/> is first
    /// given no current state and nothing is read, the insert itself refusing an id already stored; only then is the
    /// write made again as <see cref="Commit(int, string, Func{Record?, RecordMutation?})"/> makes it, from the stored state.
    /// <paramref name="module"/>, when given, binds that module's documents to the transaction as the other overload does.
    /// </summary>
    (Record Record, Change? Change) CommitNew(int datasetKey, string id, string? module, Func<Record?, IModuleData?, RecordMutation?> decide);

    /// <summary>
    /// Many writes to one dataset in one transaction, in the order of <paramref name="targets"/>: <paramref name="decide"/> gets
    /// each index with its record's current state (as the earlier writes of this batch left it) and, when
    /// <paramref name="module"/> is given, that module's documents bound to the same transaction. Each write that decides
    /// something gets its own change, numbered in order. <paramref name="beforeCommit"/> runs once all are decided; if it
    /// or any decision throws, nothing at all is written. A null decision writes nothing for that index.
    /// <para>
    /// A target whose id was just generated is given no current state (nothing is read; a taken id makes the store decide
    /// the whole batch again from the stored states). A target's <see cref="RecordTarget.Data"/>, when given, is the very
    /// element its decision will write, so that its stored form can be built on all cores before the write gate.
    /// </para>
    /// <para>
    /// <paramref name="check"/>, when given, runs once for each target before its decision, on any thread (several at once,
    /// or on another thread just ahead of the write), and returns the data the decision will write (whose stored form is
    /// then built on that thread) or null. What it wrote for a target is visible to that target's decision. An exception
    /// it throws is thrown by the batch, which writes nothing.
    /// </para>
    /// </summary>
    IReadOnlyList<(Record Record, Change? Change)> CommitMany(int datasetKey, IReadOnlyList<RecordTarget> targets, string? module,
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit, Func<int, JsonElement?>? check = null);

    RecordPage Query(int datasetKey, RecordQuery query);
    /// <summary>Live (not deleted) records.</summary>
    long Count(int datasetKey);

    /// <summary>The records (or tombstones) of the dataset with these ids, in no particular order; an id not stored is left out.</summary>
    IReadOnlyList<Record> GetMany(int datasetKey, IReadOnlyCollection<string> ids);
}

/// <summary>One record a batch writes: its id, whether that id was generated for this write, and the data it will write if known.</summary>
public sealed record RecordTarget(string Id, bool NewId = false, JsonElement? Data = null);

public interface IChangeFeed
{
    /// <summary>Changes with a sequence number above <paramref name="afterSeq"/>, oldest first.</summary>
    IReadOnlyList<Change> Since(int datasetKey, long afterSeq, int limit);
    long LastSeq(int datasetKey);
}
