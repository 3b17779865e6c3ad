using Commons.Core.Changes;
using LiteDB;

namespace Commons.Storage;

/// <summary>A dataset's changes feed: one collection per dataset, the sequence number is the document id.</summary>
internal static class ChangeLog
{
    public static string CollectionOf(int datasetKey) => $"c{datasetKey}";

    /// <summary>Appends inside the caller's transaction (the write gate is held), so the number follows the last one without gaps.</summary>
    public static Change Append(LiteDatabase db, int datasetKey, ChangeDraft draft)
    {
        var col = db.GetCollection(CollectionOf(datasetKey));
        var seq = LastSeq(col) + 1;
        var change = new Change(seq, draft.Kind, draft.RecordId, draft.Revision, draft.By, draft.At);
        col.Insert(ToBson(change));
        return change;
    }

    public static long LastSeq(ILiteCollection<BsonDocument> col)
    {
        var last = col.Query().OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
        return last is null ? 0 : last["_id"].AsInt64;
    }

    public static BsonDocument ToBson(Change c) => new()
    {
        ["_id"] = c.Seq, ["kind"] = (int)c.Kind, ["record"] = Bson.Text(c.RecordId),
        ["rev"] = c.Revision is { } r ? new BsonValue(r) : BsonValue.Null, ["by"] = Bson.Text(c.By), ["at"] = Bson.Time(c.At),
    };

    public static Change FromBson(BsonDocument d) => new(
        d["_id"].AsInt64, (ChangeKind)d["kind"].AsInt32, Bson.Text(d["record"]),
        d["rev"].IsNull ? null : d["rev"].AsInt64, Bson.Text(d["by"]), Bson.Time(d["at"]));
}
