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
    public static Change Append(CommonsDatabase database, int datasetKey, ChangeDraft draft)
    {
        var head = FeedHead.Load(database, datasetKey);
        var change = head.Append(database.Db, draft);
        head.Save(database.Db);
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

/// <summary>
/// One dataset's head, kept in <see cref="StoreLayout.RecordCounts"/> (<c>_id</c> = the dataset key): its live record count
/// and the last sequence number of its feed, written once per transaction however many changes it appends. It is read
/// from the file once per open store and then kept in <see cref="CommonsDatabase.Heads"/>, which a rollback empties.
/// A head written before the sequence number was kept there (or one the feed has moved past) falls back to the feed's
/// own last entry, so an older store needs no migration.
/// </summary>
internal sealed class FeedHead
{
    private bool _stored, _dirty;

    private FeedHead(int datasetKey, long live, long lastSeq, bool stored) =>
        (DatasetKey, _live, LastSeq, _stored) = (datasetKey, live, lastSeq, stored);

    public int DatasetKey { get; }

    private long _live;
    public long Live
    {
        get => _live;
        set { _live = value; _dirty = true; }
    }

    public long LastSeq { get; private set; }

    /// <summary>The dataset's head inside the current write transaction: the kept one, or read from the file and kept.</summary>
    public static FeedHead Load(CommonsDatabase database, int datasetKey)
    {
        if (database.Heads.TryGetValue(datasetKey, out var kept)) return kept;
        var head = Read(database.Db, datasetKey);
        database.Heads[datasetKey] = head;
        return head;
    }

    /// <summary>The head as the file holds it (the checker and a first write after opening read it so).</summary>
    public static FeedHead Read(LiteDatabase db, int datasetKey)
    {
        var doc = db.GetCollection(StoreLayout.RecordCounts).FindById(datasetKey);
        var live = doc is not null ? doc["live"].AsInt64 : 0;
        var changes = ChangeLog.Collection(db);
        // The kept number is trusted only if the feed has nothing after it: one point read instead of a range query.
        var lastSeq = doc is not null && doc.TryGetValue("seq", out var kept) && kept.IsNumber
            && changes.FindById(StoreLayout.ChangeId(datasetKey, kept.AsInt64 + 1)) is null
            ? kept.AsInt64
            : ChangeLog.LastSeq(changes, datasetKey);
        return new FeedHead(datasetKey, live, lastSeq, doc is not null);
    }

    /// <summary>Inserts the next change of the feed (the caller's transaction holds the write gate).</summary>
    public Change Append(LiteDatabase db, ChangeDraft draft)
    {
        var change = new Change(LastSeq + 1, draft.Kind, draft.RecordId, draft.Revision, draft.By, draft.At);
        ChangeLog.Collection(db).Insert(ChangeLog.ToBson(DatasetKey, change));
        LastSeq = change.Seq;
        _dirty = true;
        return change;
    }

    /// <summary>Writes the head if this transaction changed it: an update in place once the document exists (no upsert's look-up).</summary>
    public void Save(LiteDatabase db)
    {
        if (!_dirty) return;
        var doc = new BsonDocument { ["_id"] = DatasetKey, ["live"] = Live, ["seq"] = LastSeq };
        var counts = db.GetCollection(StoreLayout.RecordCounts);
        if (!(_stored && counts.Update(doc))) counts.Insert(doc);
        _stored = true;
        _dirty = false;
    }
}
