using System.Text.Json;
using Commons.Core.Changes;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Records;
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
    private LiteDatabase Engine => database.Engine;

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
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit, Func<int, JsonElement?>? check = null)
    {
        // A kind's batch writes each record as it is decided, and its rules may read the records written before, so its
        // records are all made ready first, on all cores. A custom dataset's records are checked and their stored forms built
        // by another thread just ahead of the write, and its new records are inserted in bulk as they are decided.
        using var ready = module is null
            ? StoredDataAhead.Ahead(targets, check, inBackground: targets.Count >= 16)
            : StoredDataAhead.AllNow(targets, check);
        try
        {
            return CommitManyInTransaction(datasetKey, targets, module, decide, beforeCommit, ready, trustNewIds: true);
        }
        catch (RecordIdTakenException)
        {
            return CommitManyInTransaction(datasetKey, targets, module, decide, beforeCommit, ready, trustNewIds: false);
        }
    }

    private IReadOnlyList<(Record Record, Change? Change)> CommitManyInTransaction(int datasetKey, IReadOnlyList<RecordTarget> targets, string? module,
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit, StoredDataAhead ready, bool trustNewIds) =>
        database.Write(() =>
        {
            var data = module is null ? null : new LiteModuleData(database.Engine, module);
            var head = FeedHead.Load(database, datasetKey);
            var written = new List<(Record, Change?)>(targets.Count);
            // A run of new records of a custom dataset is one bulk insert (not one call per document), taking each document as
            // it is decided; their changes are inserted together at the end. A kind's rules might read records written
            // earlier in the batch, so a kind's batch writes each record as it is decided.
            var bulk = module is null && trustNewIds ? new BulkInserts(this, head, ready, targets.Count) : null;
            for (var i = 0; i < targets.Count;)
            {
                if (bulk is not null && targets[i].NewId)
                {
                    var end = i + 1;
                    while (end < targets.Count && targets[end].NewId) end++;
                    bulk.InsertRun(i, end, (index, current) => decide(index, current, data), written);
                    i = end;
                    continue;
                }
                var index = i;
                var assumeNew = trustNewIds && targets[i].NewId;
                var prepared = ready.Take(i);
                written.Add(Write(head, targets[i].Id, current => decide(index, current, data), assumeNew, prepared, bulk?.Changes));
                i++;
            }
            beforeCommit();
            bulk?.InsertChanges();
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
    /// <param name="changes">Where to leave the change's document for a later bulk insert in the same transaction, or null to insert it now.</param>
    private (Record Record, Change? Change) Write(FeedHead head, string id, Func<Record?, RecordMutation?> decide, bool assumeNew, StoredData? prepared,
        List<(Change Change, int LiveDelta)>? changes = null)
    {
        var col = Records;
        var datasetKey = head.DatasetKey;
        var current = assumeNew ? null : col.FindById(StoreLayout.RecordDocumentId(datasetKey, id)) is { } d ? RecordBson.FromBson(d) : null;
        var mutation = decide(current);
        if (mutation is null) return (current!, (Change?)null);
        var wasLive = current is { Deleted: false };
        var isLive = !mutation.NewState.Deleted;
        var change = head.Append(database.Engine, mutation.Change, liveDelta: wasLive == isLive ? 0 : isLive ? 1 : -1, changes);
        var stored = mutation.NewState with { Seq = change.Seq };
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
    /// Runs of a custom dataset's new records, each run one bulk insert whose documents are made as LiteDB takes them: each
    /// record made ready (<see cref="StoredDataAhead"/>), decided and numbered only then, so that while this thread inserts
    /// one record the next ones are checked and built on another. Their changes wait in <see cref="Changes"/>.
    /// </summary>
    private sealed class BulkInserts(LiteRecordStore store, FeedHead head, StoredDataAhead ready, int capacity)
    {
        public List<(Change Change, int LiveDelta)> Changes { get; } = new(capacity);

        public void InsertRun(int from, int to, Func<int, Record?, RecordMutation?> decide, List<(Record, Change?)> written)
        {
            try { store.Records.InsertBulk(Documents(from, to, decide, written)); }
            catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY) { throw new RecordIdTakenException(); }
        }

        public void InsertChanges() => head.InsertDeferred(store.Engine, Changes);

        private IEnumerable<BsonDocument> Documents(int from, int to, Func<int, Record?, RecordMutation?> decide, List<(Record, Change?)> written)
        {
            for (var i = from; i < to; i++)
            {
                var prepared = ready.Take(i);
                if (decide(i, null) is not { } mutation)
                {
                    written.Add((null!, null));
                    continue;
                }
                var change = head.Append(store.Engine, mutation.Change, liveDelta: mutation.NewState.Deleted ? 0 : 1, Changes);
                var stored = mutation.NewState with { Seq = change.Seq };
                written.Add((stored, change));
                yield return RecordBson.ToBson(head.DatasetKey, stored, prepared?.For(stored));
            }
        }
    }

    /// <summary>An assumed-new id was stored already; thrown inside the transaction so that it rolls back whole.</summary>
    private sealed class RecordIdTakenException : Exception;

    /// <summary>The head's live count: the one kept in memory, else read from the file (the saved head plus the feed after it).</summary>
    public long Count(int datasetKey) => database.Read(() =>
        database.InSnapshot ? FeedHead.Read(database.Engine, datasetKey).Live : FeedHead.Load(database, datasetKey).Live);

    public RecordPage Query(int datasetKey, RecordQuery query) => database.Read(() => RecordQueryRunner.Run(database.Engine, datasetKey, query, database.QueryExpressions));

    /// <summary>One query for the lot (IN on the primary key: one index seek per id) instead of one <see cref="Get"/> pipeline each.</summary>
    public IReadOnlyList<Record> GetMany(int datasetKey, IReadOnlyCollection<string> ids) => ids.Count == 0 ? [] : database.Read(() =>
    {
        var keys = new BsonArray(ids.Distinct(StringComparer.Ordinal).Select(id => new BsonValue(StoreLayout.RecordDocumentId(datasetKey, id))));
        return Records.Query().Where(BsonExpression.Create("_id IN @0", keys)).ToEnumerable().Select(RecordBson.FromBson).ToList();
    });
}

internal static class RecordBson
{
    /// <summary>The fields of a record document, so that its dictionary is sized once.</summary>
    private const int Fields = 15;

    /// <param name="prepared">The data's stored form built beforehand (<see cref="StoredData"/>), or null to build it here.</param>
    public static BsonDocument ToBson(int datasetKey, Record r, StoredData? prepared = null)
    {
        // A body not built beforehand is converted and its search text collected in one walk of its JSON, not two.
        var (data, text) = r.Deleted ? (BsonValue.Null, (string?)null)
            : prepared is not null ? (prepared.Bson, prepared.Text) : JsonBson.ToBsonWithText(r.Data);
        var doc = JsonBson.SizedDocument(Fields);
        doc["_id"] = StoreLayout.RecordDocumentId(datasetKey, r.Id);
        doc["ds"] = datasetKey;
        doc["rev"] = r.Revision;
        doc["data"] = data;
        doc["shared"] = r.Shared;
        doc["del"] = r.Deleted;
        doc["ca"] = Bson.Time(r.CreatedAt);
        doc["cb"] = Bson.Text(r.CreatedBy);
        doc["ua"] = Bson.Time(r.UpdatedAt);
        doc["ub"] = Bson.Text(r.UpdatedBy);
        doc["da"] = Bson.Time(r.DeletedAt);
        doc["txt"] = Bson.Text(text);
        doc["seq"] = r.Seq;
        doc["so"] = r.SharedOnce;
        doc["hr"] = r.HiddenAtRevision is { } hidden ? hidden : BsonValue.Null;
        return doc;
    }

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
