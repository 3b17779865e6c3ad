using System.Text.Json;
using Commons.Core.Changes;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Text;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Records of every dataset in the shared <see cref="StoreLayout.Records"/> collection, keyed <c>{datasetKey:x8}/{recordId}</c>
/// so one dataset's records are one range of the primary key, in record-id order; tombstones stay, flagged deleted.
/// The live count of each dataset and its feed's last number are kept in its <see cref="FeedHead"/>; each change says what it did to the count.
/// </summary>
public sealed class LiteRecordStore(CommonsDatabase database) : IRecordStore
{
    // Records and changes never hold a dataset document: reaching them leaves the decoded datasets trusted (CommonsDatabase.Engine).
    private ILiteCollection<BsonDocument> Records => database.Engine.GetCollection(StoreLayout.Records);

    public Record? Get(int datasetKey, string id) => database.Read(() =>
        Records.FindById(StoreLayout.RecordDocumentId(datasetKey, id)) is { } d ? RecordBson.FromBson(d) : null);

    public (Record Record, Change? Change) Commit(int datasetKey, string id, Func<Record?, RecordMutation?> decide) =>
        database.Write(() => CommitInTransaction(datasetKey, id, decide, assumeNew: false), keepsDatasets: true);

    public (Record Record, Change? Change) Commit(int datasetKey, string id, string module, Func<Record?, IModuleData, RecordMutation?> decide) =>
        database.Write(() =>
        {
            var data = new LiteModuleData(database.Engine, module);
            return CommitInTransaction(datasetKey, id, current => decide(current, data), assumeNew: false);
        }, keepsDatasets: true);

    public (Record Record, Change? Change) CommitNew(int datasetKey, string id, string? module, Func<Record?, IModuleData?, RecordMutation?> decide)
    {
        // A kind's rules reach only the module's own documents (LiteModuleData), never a dataset: the decoded datasets stay.
        try
        {
            return database.Write(() =>
            {
                var data = module is null ? null : new LiteModuleData(database.Engine, module);
                return CommitInTransaction(datasetKey, id, current => decide(current, data), assumeNew: true);
            }, keepsDatasets: true);
        }
        catch (RecordIdTakenException)
        {
            // The transaction rolled back whole (module documents included); decide again from what is stored.
            return database.Write(() =>
            {
                var data = module is null ? null : new LiteModuleData(database.Engine, module);
                return CommitInTransaction(datasetKey, id, current => decide(current, data), assumeNew: false);
            }, keepsDatasets: true);
        }
    }

    public IReadOnlyList<(Record Record, Change? Change)> CommitMany(int datasetKey, IReadOnlyList<RecordTarget> targets, string? module,
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit)
    {
        // A kind's batch writes each record as it is decided, so its stored forms are all built first, on all cores; a custom
        // dataset's new records are inserted together at the end, their stored forms built just ahead of the insert.
        var prepared = module is null ? new StoredData?[targets.Count] : StoredData.Prepare(targets);
        using var ahead = module is null ? new StoredDataAhead(targets, inBackground: targets.Count >= 16) : null;
        try
        {
            return CommitManyInTransaction(datasetKey, targets, module, decide, beforeCommit, prepared, ahead, trustNewIds: true);
        }
        catch (RecordIdTakenException)
        {
            return CommitManyInTransaction(datasetKey, targets, module, decide, beforeCommit, prepared, ahead: null, trustNewIds: false);
        }
    }

    private IReadOnlyList<(Record Record, Change? Change)> CommitManyInTransaction(int datasetKey, IReadOnlyList<RecordTarget> targets, string? module,
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit, StoredData?[] prepared, StoredDataAhead? ahead, bool trustNewIds) =>
        database.Write(() =>
        {
            var data = module is null ? null : new LiteModuleData(database.Engine, module);
            var head = FeedHead.Load(database, datasetKey);
            var written = new List<(Record, Change?)>(targets.Count);
            // New records of a custom dataset are inserted together once all are decided (one bulk insert per collection,
            // not one call per document). A kind's rules might read records written earlier in the batch, so a kind's
            // batch writes each record as it is decided.
            var deferred = ahead is not null ? new DeferredInserts(datasetKey, ahead) : null;
            for (var i = 0; i < targets.Count; i++)
            {
                var index = i;
                var assumeNew = trustNewIds && targets[i].NewId;
                written.Add(Write(head, targets[i].Id, current => decide(index, current, data), assumeNew, prepared[i], assumeNew ? deferred : null, index));
            }
            beforeCommit();
            deferred?.Flush(database.Engine);
            head.Save(database.Engine, now: true);
            return written;
        });

    private (Record Record, Change? Change) CommitInTransaction(int datasetKey, string id, Func<Record?, RecordMutation?> decide, bool assumeNew)
    {
        var head = FeedHead.Load(database, datasetKey);
        var written = Write(head, id, decide, assumeNew, prepared: null);
        head.Save(database.Engine);
        return written;
    }

    /// <summary>
    /// One record's write inside the transaction: its current state (not read when <paramref name="assumeNew"/>: the insert
    /// then refuses a taken id with <see cref="RecordIdTakenException"/>), the decision, the change and the new state.
    /// </summary>
    private (Record Record, Change? Change) Write(FeedHead head, string id, Func<Record?, RecordMutation?> decide, bool assumeNew, StoredData? prepared,
        DeferredInserts? deferred = null, int index = -1)
    {
        var col = Records;
        var datasetKey = head.DatasetKey;
        var current = assumeNew ? null : col.FindById(StoreLayout.RecordDocumentId(datasetKey, id)) is { } d ? RecordBson.FromBson(d) : null;
        var mutation = decide(current);
        if (mutation is null) return (current!, (Change?)null);
        var wasLive = current is { Deleted: false };
        var isLive = !mutation.NewState.Deleted;
        var change = head.Append(database.Engine, mutation.Change, liveDelta: wasLive == isLive ? 0 : isLive ? 1 : -1, deferred?.Changes);
        var stored = mutation.NewState with { Seq = change.Seq };
        if (current is null && deferred is not null)
        {
            deferred.Add(index, stored);
            return (stored, change);
        }
        var doc = RecordBson.ToBson(datasetKey, stored, prepared?.For(stored));
        // The current state was just read (or is known to be absent): insert or update directly, no upsert's second look-up.
        if (current is not null) col.Update(doc);
        else if (!assumeNew) col.Insert(doc);
        else
        {
            try { col.Insert(doc); }
            catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY) { throw new RecordIdTakenException(); }
        }
        return (stored, change);
    }

    /// <summary>
    /// Assumed-new records and their changes, inserted in bulk once a batch is decided; each record's document is made as
    /// LiteDB takes it, from the stored form built just ahead (<see cref="StoredDataAhead"/>).
    /// </summary>
    private sealed class DeferredInserts(int datasetKey, StoredDataAhead ahead)
    {
        private readonly List<(int Index, Record Stored)> _records = [];
        public List<BsonDocument> Changes { get; } = [];

        public void Add(int index, Record stored) => _records.Add((index, stored));

        public void Flush(LiteDatabase db)
        {
            ChangeLog.Collection(db).InsertBulk(Changes);
            try { db.GetCollection(StoreLayout.Records).InsertBulk(Documents()); }
            catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY) { throw new RecordIdTakenException(); }
        }

        private IEnumerable<BsonDocument> Documents()
        {
            foreach (var (index, stored) in _records)
                yield return RecordBson.ToBson(datasetKey, stored, ahead.Take(index)?.For(stored));
        }
    }

    /// <summary>An assumed-new id was stored already; thrown inside the transaction so that it rolls back whole.</summary>
    private sealed class RecordIdTakenException : Exception;

    /// <summary>The head's live count: the one kept in memory, else read from the file (the saved head plus the feed after it).</summary>
    public long Count(int datasetKey) => database.Read(() =>
        database.InSnapshot ? FeedHead.Read(database.Engine, datasetKey).Live : FeedHead.Load(database, datasetKey).Live);

    public RecordPage Query(int datasetKey, RecordQuery query) => database.Read(() => RecordQueryRunner.Run(database.Engine, datasetKey, query));

    /// <summary>One query for the lot (IN on the primary key: one index seek per id) instead of one <see cref="Get"/> pipeline each.</summary>
    public IReadOnlyList<Record> GetMany(int datasetKey, IReadOnlyCollection<string> ids) => ids.Count == 0 ? [] : database.Read(() =>
    {
        var keys = new BsonArray(ids.Distinct(StringComparer.Ordinal).Select(id => new BsonValue(StoreLayout.RecordDocumentId(datasetKey, id))));
        return Records.Query().Where(BsonExpression.Create("_id IN @0", keys)).ToEnumerable().Select(RecordBson.FromBson).ToList();
    });
}

internal static class RecordBson
{
    /// <summary>The fields of a record document, so that its dictionary is sized once (with BsonDocument's own comparer).</summary>
    private const int Fields = 15;

    /// <param name="prepared">The data's stored form built beforehand (<see cref="StoredData"/>), or null to build it here.</param>
    public static BsonDocument ToBson(int datasetKey, Record r, StoredData? prepared = null) => new(new Dictionary<string, BsonValue>(Fields, StringComparer.OrdinalIgnoreCase))
    {
        ["_id"] = StoreLayout.RecordDocumentId(datasetKey, r.Id),
        ["ds"] = datasetKey,
        ["rev"] = r.Revision,
        ["data"] = r.Deleted ? BsonValue.Null : prepared?.Bson ?? JsonBson.ToBson(r.Data),
        ["shared"] = r.Shared,
        ["del"] = r.Deleted,
        ["ca"] = Bson.Time(r.CreatedAt),
        ["cb"] = Bson.Text(r.CreatedBy),
        ["ua"] = Bson.Time(r.UpdatedAt),
        ["ub"] = Bson.Text(r.UpdatedBy),
        ["da"] = Bson.Time(r.DeletedAt),
        ["txt"] = r.Deleted ? BsonValue.Null : prepared?.Text ?? SearchText.FromJson(r.Data),
        ["seq"] = r.Seq,
        ["so"] = r.SharedOnce,
        ["hr"] = r.HiddenAtRevision is { } hidden ? hidden : BsonValue.Null,
    };

    public static Record FromBson(BsonDocument d) => new()
    {
        Id = StoreLayout.RecordIdOf(d["_id"].AsString),
        Revision = d["rev"].AsInt64,
        Data = d["data"].IsNull ? default : JsonBson.ToJson(d["data"]),
        Shared = d["shared"].AsBoolean,
        Deleted = d["del"].AsBoolean,
        CreatedAt = Bson.Time(d["ca"]),
        CreatedBy = Bson.Text(d["cb"]),
        UpdatedAt = Bson.Time(d["ua"]),
        UpdatedBy = Bson.Text(d["ub"]),
        DeletedAt = Bson.OptionalTime(d["da"]),
        Seq = d.TryGetValue("seq", out var seq) && !seq.IsNull ? seq.AsInt64 : 0,
        SharedOnce = d.TryGetValue("so", out var so) && so.IsBoolean ? so.AsBoolean : d["shared"].AsBoolean,
        HiddenAtRevision = d.TryGetValue("hr", out var hr) && hr.IsNumber ? hr.AsInt64 : null,
    };
}
