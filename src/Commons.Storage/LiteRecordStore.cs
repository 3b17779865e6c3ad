using Commons.Core.Changes;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Text;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Records of every dataset in the shared <see cref="StoreLayout.Records"/> collection, keyed <c>{datasetKey:x8}/{recordId}</c>
/// so one dataset's records are one range of the primary key, in record-id order; tombstones stay, flagged deleted.
/// The live count of each dataset and its feed's last number are kept in its <see cref="FeedHead"/>, in the same transaction as the records.
/// </summary>
public sealed class LiteRecordStore(CommonsDatabase database) : IRecordStore
{
    private ILiteCollection<BsonDocument> Records => database.Db.GetCollection(StoreLayout.Records);
    private ILiteCollection<BsonDocument> Counts => database.Db.GetCollection(StoreLayout.RecordCounts);

    public Record? Get(int datasetKey, string id) => database.Read(() =>
        Records.FindById(StoreLayout.RecordDocumentId(datasetKey, id)) is { } d ? RecordBson.FromBson(d) : null);

    public (Record Record, Change? Change) Commit(int datasetKey, string id, Func<Record?, RecordMutation?> decide) =>
        database.Write(() => CommitInTransaction(datasetKey, id, decide));

    public (Record Record, Change? Change) Commit(int datasetKey, string id, string module, Func<Record?, IModuleData, RecordMutation?> decide) =>
        database.Write(() =>
        {
            var data = new LiteModuleData(database.Db, module);
            return CommitInTransaction(datasetKey, id, current => decide(current, data));
        });

    public IReadOnlyList<(Record Record, Change? Change)> CommitMany(int datasetKey, IReadOnlyList<string> ids, string? module,
        Func<int, Record?, IModuleData?, RecordMutation?> decide, Action beforeCommit) =>
        database.Write(() =>
        {
            var data = module is null ? null : new LiteModuleData(database.Db, module);
            var head = FeedHead.Load(database.Db, datasetKey);
            var written = new List<(Record, Change?)>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                var index = i;
                written.Add(Write(head, ids[i], current => decide(index, current, data)));
            }
            beforeCommit();
            head.Save(database.Db);
            return written;
        });

    private (Record Record, Change? Change) CommitInTransaction(int datasetKey, string id, Func<Record?, RecordMutation?> decide)
    {
        var head = FeedHead.Load(database.Db, datasetKey);
        var written = Write(head, id, decide);
        if (written.Change is not null) head.Save(database.Db);
        return written;
    }

    /// <summary>One record's write inside the transaction: its current state, the decision, the change and the new state.</summary>
    private (Record Record, Change? Change) Write(FeedHead head, string id, Func<Record?, RecordMutation?> decide)
    {
        var col = Records;
        var datasetKey = head.DatasetKey;
        var current = col.FindById(StoreLayout.RecordDocumentId(datasetKey, id)) is { } d ? RecordBson.FromBson(d) : null;
        var mutation = decide(current);
        if (mutation is null) return (current!, (Change?)null);
        var wasLive = current is { Deleted: false };
        var isLive = !mutation.NewState.Deleted;
        if (wasLive != isLive) head.Live += isLive ? 1 : -1;
        var change = head.Append(database.Db, mutation.Change);
        var stored = mutation.NewState with { Seq = change.Seq };
        // The current state was just read: insert or update directly (an upsert would look the id up again).
        if (current is null) col.Insert(RecordBson.ToBson(datasetKey, stored));
        else col.Update(RecordBson.ToBson(datasetKey, stored));
        return (stored, change);
    }

    public long Count(int datasetKey) => database.Read(() => Counts.FindById(datasetKey) is { } d ? d["live"].AsInt64 : 0);

    public RecordPage Query(int datasetKey, RecordQuery query) => database.Read(() => RecordQueryRunner.Run(database.Db, datasetKey, query));
}

internal static class RecordBson
{
    public static BsonDocument ToBson(int datasetKey, Record r) => new()
    {
        ["_id"] = StoreLayout.RecordDocumentId(datasetKey, r.Id),
        ["ds"] = datasetKey,
        ["rev"] = r.Revision,
        ["data"] = r.Deleted ? BsonValue.Null : JsonBson.ToBson(r.Data),
        ["shared"] = r.Shared,
        ["del"] = r.Deleted,
        ["ca"] = Bson.Time(r.CreatedAt),
        ["cb"] = Bson.Text(r.CreatedBy),
        ["ua"] = Bson.Time(r.UpdatedAt),
        ["ub"] = Bson.Text(r.UpdatedBy),
        ["da"] = Bson.Time(r.DeletedAt),
        ["txt"] = r.Deleted ? BsonValue.Null : SearchText.FromJson(r.Data),
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
