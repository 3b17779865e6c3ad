using Commons.Core.Changes;
using Commons.Core.Records;
using Commons.Core.Text;
using LiteDB;

namespace Commons.Storage;

/// <summary>Records of each dataset in their own collection (<c>r{key}</c>); tombstones stay, flagged deleted.</summary>
public sealed class LiteRecordStore(CommonsDatabase database) : IRecordStore
{
    public static string RecordsOf(int datasetKey) => $"r{datasetKey}";

    private ILiteCollection<BsonDocument> Records(int datasetKey) => database.Db.GetCollection(RecordsOf(datasetKey));

    public Record? Get(int datasetKey, string id) => Records(datasetKey).FindById(id) is { } d ? RecordBson.FromBson(d) : null;

    public (Record Record, Change? Change) Commit(int datasetKey, string id, Func<Record?, RecordMutation?> decide) => database.Write(() =>
    {
        var col = Records(datasetKey);
        var current = col.FindById(id) is { } d ? RecordBson.FromBson(d) : null;
        var mutation = decide(current);
        if (mutation is null) return (current!, (Change?)null);
        col.Upsert(RecordBson.ToBson(mutation.NewState));
        var change = ChangeLog.Append(database.Db, datasetKey, mutation.Change);
        return (mutation.NewState, change);
    });

    public long Count(int datasetKey) => Records(datasetKey).LongCount(LiteDB.Query.EQ("del", false));

    public RecordPage Query(int datasetKey, RecordQuery query) => RecordQueryRunner.Run(Records(datasetKey), query);
}

internal static class RecordBson
{
    public static BsonDocument ToBson(Record r) => new()
    {
        ["_id"] = r.Id,
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
    };

    public static Record FromBson(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        Revision = d["rev"].AsInt64,
        Data = d["data"].IsNull ? default : JsonBson.ToJson(d["data"]),
        Shared = d["shared"].AsBoolean,
        Deleted = d["del"].AsBoolean,
        CreatedAt = Bson.Time(d["ca"]),
        CreatedBy = Bson.Text(d["cb"]),
        UpdatedAt = Bson.Time(d["ua"]),
        UpdatedBy = Bson.Text(d["ub"]),
        DeletedAt = Bson.OptionalTime(d["da"]),
    };
}
