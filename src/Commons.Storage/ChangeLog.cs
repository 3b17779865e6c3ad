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
        var change = head.Append(database.Engine, draft, liveDelta: 0);
        head.Save(database.Engine);
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

    /// <summary>Name of the field holding what a change did to the live count (+1, -1), absent when nothing.</summary>
    public const string LiveDelta = "dl";

    /// <summary>The fields of a change document, so that its dictionary is sized once.</summary>
    private const int Fields = 8;

    public static BsonDocument ToBson(int datasetKey, Change c, int liveDelta = 0)
    {
        var doc = JsonBson.SizedDocument(Fields);
        doc["_id"] = StoreLayout.ChangeId(datasetKey, c.Seq);
        doc["seq"] = c.Seq;
        doc["kind"] = (int)c.Kind;
        doc["record"] = Bson.Text(c.RecordId);
        doc["rev"] = c.Revision is { } r ? new BsonValue(r) : BsonValue.Null;
        doc["by"] = Bson.Text(c.By);
        doc["at"] = Bson.Time(c.At);
        if (liveDelta != 0) doc[LiveDelta] = liveDelta;
        return doc;
    }

    public static Change FromBson(BsonDocument d) => new(
        d["seq"].AsInt64, (ChangeKind)d["kind"].AsInt32, Bson.Text(d["record"]),
        d["rev"].IsNull ? null : d["rev"].AsInt64, Bson.Text(d["by"]), Bson.Time(d["at"]));
}

/// <summary>
/// One dataset's head: its live record count and the last sequence number of its feed. Kept in memory under the write
/// gate (<see cref="CommonsDatabase.Heads"/>, emptied by every rollback and on open) and written to
/// <see cref="StoreLayout.RecordCounts"/> (<c>_id</c> = the dataset key) only every <see cref="SaveEvery"/> changes and
/// by every batch, so that a single write touches two collections, not three. What the file's head misses is in the
/// feed: each change after the head's number carries what it did to the live count (<see cref="ChangeLog.LiveDelta"/>),
/// and reading the head adds those up (after a crash, a restore or a reopen alike). A head written before the number was
/// kept there is trusted as it stands, with the feed's own last entry as the number, so an older store needs no migration.
/// </summary>
internal sealed class FeedHead
{
    /// <summary>Changes after which the head is written again: the most a reader adds up from the feed.</summary>
    public const int SaveEvery = 256;

    private long _savedSeq;
    private bool _stored;

    private FeedHead(int datasetKey, long live, long lastSeq, long savedSeq, bool stored) =>
        (DatasetKey, Live, LastSeq, _savedSeq, _stored) = (datasetKey, live, lastSeq, savedSeq, stored);

    public int DatasetKey { get; }
    public long Live { get; private set; }
    public long LastSeq { get; private set; }

    /// <summary>The dataset's head inside the current write transaction: the kept one, or read from the file and kept.</summary>
    public static FeedHead Load(CommonsDatabase database, int datasetKey)
    {
        if (database.Heads.TryGetValue(datasetKey, out var kept)) return kept;
        var head = Read(database.Engine, datasetKey);
        database.Heads[datasetKey] = head;
        return head;
    }

    /// <summary>The head as the file holds it: the saved document, plus what the feed's changes after it did.</summary>
    public static FeedHead Read(LiteDatabase db, int datasetKey)
    {
        var doc = db.GetCollection(StoreLayout.RecordCounts).FindById(datasetKey);
        var live = doc is not null ? doc["live"].AsInt64 : 0;
        var changes = ChangeLog.Collection(db);
        if (doc is not null && !(doc.TryGetValue("seq", out var s) && s.IsNumber))
            return new FeedHead(datasetKey, live, ChangeLog.LastSeq(changes, datasetKey), 0, stored: true);
        var savedSeq = doc is not null ? doc["seq"].AsInt64 : 0;
        var lastSeq = savedSeq;
        foreach (var change in changes.Find(StoreLayout.ChangesOf(datasetKey, savedSeq + 1)))
        {
            lastSeq = change["seq"].AsInt64;
            if (change.TryGetValue(ChangeLog.LiveDelta, out var delta) && delta.IsNumber) live += delta.AsInt32;
        }
        return new FeedHead(datasetKey, live, lastSeq, savedSeq, doc is not null);
    }

    /// <summary>
    /// Inserts the next change of the feed (the caller's transaction holds the write gate), with what it does to the live
    /// count: the change carries it, so a head read from the file later counts it even if this head is never saved.
    /// </summary>
    /// <param name="deferred">
    /// Where to leave the change for a later bulk insert in the same transaction (<see cref="InsertDeferred"/>), or null to
    /// insert it now. Its document is made only then, so that a batch's documents are garbage as soon as they are written.
    /// </param>
    public Change Append(LiteDatabase db, ChangeDraft draft, int liveDelta, List<(Change Change, int LiveDelta)>? deferred = null)
    {
        var change = new Change(LastSeq + 1, draft.Kind, draft.RecordId, draft.Revision, draft.By, draft.At);
        if (deferred is not null) deferred.Add((change, liveDelta));
        else ChangeLog.Collection(db).Insert(ChangeLog.ToBson(DatasetKey, change, liveDelta));
        LastSeq = change.Seq;
        Live += liveDelta;
        return change;
    }

    /// <summary>Inserts the changes <see cref="Append"/> left in <paramref name="deferred"/>, in one bulk insert.</summary>
    public void InsertDeferred(LiteDatabase db, List<(Change Change, int LiveDelta)> deferred) =>
        ChangeLog.Collection(db).InsertBulk(deferred.Select(d => ChangeLog.ToBson(DatasetKey, d.Change, d.LiveDelta)));

    /// <summary>Writes the head once <see cref="SaveEvery"/> changes went by since it was last written, or now if <paramref name="now"/>.</summary>
    public void Save(LiteDatabase db, bool now = false)
    {
        if (LastSeq == _savedSeq || (!now && LastSeq - _savedSeq < SaveEvery)) return;
        var doc = new BsonDocument { ["_id"] = DatasetKey, ["live"] = Live, ["seq"] = LastSeq };
        var counts = db.GetCollection(StoreLayout.RecordCounts);
        // Updated in place once the document exists: no upsert's look-up.
        if (!(_stored && counts.Update(doc))) counts.Insert(doc);
        _stored = true;
        _savedSeq = LastSeq;
    }
}
