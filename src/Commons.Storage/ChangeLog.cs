using Commons.Core.Changes;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// The datasets' changes feeds, all in the shared <see cref="StoreLayout.Changes"/> collection: the document id is
/// <c>datasetKey &lt;&lt; 40 | seq</c>, so one dataset's feed is one range of the primary key, in sequence order.
/// </summary>
internal static class ChangeLog
{
    public static ILiteCollection<BsonDocument> Collection(LiteDatabase db) => db.GetCollection(StoreLayout.Changes);

    /// <summary>Appends inside the caller's transaction (the write gate is held), so the number follows the last one without gaps.</summary>
    public static Change Append(LiteDatabase db, int datasetKey, ChangeDraft draft)
    {
        var col = Collection(db);
        var seq = LastSeq(col, datasetKey) + 1;
        var change = new Change(seq, draft.Kind, draft.RecordId, draft.Revision, draft.By, draft.At);
        col.Insert(ToBson(datasetKey, change));
        return change;
    }

    public static long LastSeq(ILiteCollection<BsonDocument> col, int datasetKey)
    {
        // The range term is the query's only indexable one and the order is the PK's: LiteDB walks the index backwards from the top of the range.
        var last = col.Query().Where(StoreLayout.ChangesOf(datasetKey)).OrderByDescending("_id").Select("_id").Limit(1).FirstOrDefault();
        return last is null ? 0 : last["_id"].AsInt64 - StoreLayout.ChangeId(datasetKey, 0);
    }

    /// <summary>Up to <paramref name="limit"/> changes after <paramref name="afterSeq"/>, in order.</summary>
    public static IEnumerable<Change> Since(ILiteCollection<BsonDocument> col, int datasetKey, long afterSeq, int limit)
    {
        if (afterSeq >= StoreLayout.MaxSeq || limit <= 0) return [];
        return col.Find(StoreLayout.ChangesOf(datasetKey, Math.Max(afterSeq, 0) + 1), limit: limit).Select(FromBson);
    }

    public static BsonDocument ToBson(int datasetKey, Change c) => new()
    {
        ["_id"] = StoreLayout.ChangeId(datasetKey, c.Seq), ["seq"] = c.Seq,
        ["kind"] = (int)c.Kind, ["record"] = Bson.Text(c.RecordId),
        ["rev"] = c.Revision is { } r ? new BsonValue(r) : BsonValue.Null, ["by"] = Bson.Text(c.By), ["at"] = Bson.Time(c.At),
    };

    public static Change FromBson(BsonDocument d) => new(
        d["seq"].AsInt64, (ChangeKind)d["kind"].AsInt32, Bson.Text(d["record"]),
        d["rev"].IsNull ? null : d["rev"].AsInt64, Bson.Text(d["by"]), Bson.Time(d["at"]));
}
