using Commons.Core.Federation;
using Commons.Core.Text;
using LiteDB;

namespace Commons.Storage.Federation;

/// <summary>
/// Replicas of followed datasets, all in the shared <see cref="StoreLayout.Replicas"/> collection keyed
/// <c>{subscriptionId}/{recordId}</c> (one subscription = one range of the primary key); a record is replaced only by a newer revision.
/// </summary>
public sealed class LiteReplicaStore : IReplicaStore
{
    private readonly CommonsDatabase _database;

    public LiteReplicaStore(CommonsDatabase database)
    {
        _database = database;
        // The latest changes of every followed dataset (the dashboard) are read on this index, not by a scan.
        database.Read(() => Col.EnsureIndex("received"));
    }

    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection(StoreLayout.Replicas);

    public ReplicaRecord? Get(string subscriptionId, string recordId) => _database.Read(() =>
        Col.FindById(StoreLayout.ReplicaDocumentId(subscriptionId, recordId)) is { } d ? FromBson(subscriptionId, d) : null);

    public bool ApplyIfNewer(ReplicaRecord r) => _database.Write(() => UpsertIfNewer(Col, r));

    public int? ApplyPage(ReplicaPage page) => _database.Write<int?>(() =>
    {
        var subscriptions = _database.Engine.GetCollection(LiteSubscriptionStore.Collection);
        var subscription = subscriptions.FindById(page.SubscriptionId);
        if (subscription is null || subscription["state"].AsInt32 != (int)SubscriptionState.Accepted || subscription["follow"].AsString != page.FollowActivityId)
            return null;
        var col = Col;
        // The page's replicas already held, found in one query (a lookup per record cost a query pipeline each); then kept
        // up to date with this page's own writes, so two changes of one record in a page keep the newer.
        var held = HeldRevisions(col, page.Records);
        var applied = 0;
        foreach (var record in page.Records)
        {
            var id = StoreLayout.ReplicaDocumentId(record.SubscriptionId, record.RecordId);
            var exists = held.TryGetValue(id, out var revision);
            if (exists && revision >= record.Revision) continue;
            if (exists) col.Update(ToBson(id, record));
            else col.Insert(ToBson(id, record));
            held[id] = record.Revision;
            applied++;
        }
        LiteSubscriptionStore.MarkBackfillProgress(subscription, page.Last, page.Done, page.At);
        subscriptions.Update(subscription);
        return applied;
    });

    /// <summary>Inside a write: stores <paramref name="r"/> unless the replica holds its revision or a newer one (this transaction's writes included).</summary>
    private static bool UpsertIfNewer(ILiteCollection<BsonDocument> col, ReplicaRecord r)
    {
        var id = StoreLayout.ReplicaDocumentId(r.SubscriptionId, r.RecordId);
        var current = col.FindById(id);
        if (current is not null && current["rev"].AsInt64 >= r.Revision) return false;
        col.Upsert(ToBson(id, r));
        return true;
    }

    /// <summary>Inside a write: the revision of each of <paramref name="records"/>' replicas already stored, by document id.</summary>
    private static Dictionary<string, long> HeldRevisions(ILiteCollection<BsonDocument> col, IReadOnlyList<ReplicaRecord> records)
    {
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        if (records.Count == 0) return held;
        var ids = new BsonArray(records.Select(r => new BsonValue(StoreLayout.ReplicaDocumentId(r.SubscriptionId, r.RecordId))));
        // IN on the primary key is one index seek per id; the projection reads only the two fields from each document.
        foreach (var d in col.Query().Where(BsonExpression.Create("_id IN @0", ids)).Select("{_id: $._id, rev: $.rev}").ToEnumerable())
            held[d["_id"].AsString] = d["rev"].AsInt64;
        return held;
    }

    private static BsonDocument ToBson(string id, ReplicaRecord r)
    {
        // The body's BSON and its search text in one walk of it (a backfill stores a thousand a transaction).
        var (data, text) = r.Deleted ? (BsonValue.Null, null) : JsonBson.ToBsonWithText(r.Data);
        return new()
        {
            ["_id"] = id, ["sub"] = r.SubscriptionId, ["uri"] = r.ObjectUri, ["rev"] = r.Revision, ["del"] = r.Deleted,
            ["data"] = data, ["name"] = Bson.Text(r.Name),
            ["received"] = Bson.Time(r.ReceivedAt), ["activity"] = Bson.Text(r.ActivityId),
            ["txt"] = text is null ? BsonValue.Null : text,
            ["signed"] = Bson.Text(r.SignedObject), ["verified"] = r.ProofVerified,
        };
    }

    public IReadOnlyList<ReplicaRecord> List(string subscriptionId, string? afterRecordId, int limit, string? textTerm = null) =>
        _database.Read(() => ListUnderGate(subscriptionId, afterRecordId, limit, textTerm));

    private List<ReplicaRecord> ListUnderGate(string subscriptionId, string? afterRecordId, int limit, string? textTerm)
    {
        // The subscription's range comes first, as literals (see RecordQueryRunner for why not parameters): it is the term
        // LiteDB walks on the PK index (the cursor term ties on cost and comes later). Each term is its own Where.
        var q = Col.Query().Where(StoreLayout.ReplicasOf(subscriptionId)).Where("$.del = false");
        if (afterRecordId is not null) q = q.Where(BsonExpression.Create("$._id > @0", StoreLayout.ReplicaDocumentId(subscriptionId, afterRecordId)));
        if (!string.IsNullOrWhiteSpace(textTerm)) q = q.Where(BsonExpression.Create("INDEXOF($.txt, @0) >= 0", new BsonValue(SearchText.Fold(textTerm))));
        return q.OrderBy("_id").Limit(limit).ToList().Select(d => FromBson(subscriptionId, d)).ToList();
    }

    public long Count(string subscriptionId) => _database.Read(() => Col.Query().Where(StoreLayout.ReplicasOf(subscriptionId)).Where("$.del = false").LongCount());

    public IReadOnlyList<ReplicaRecord> RecentlyReceived(int limit, string? subscriptionId = null) => _database.Read(() =>
    {
        var q = Col.Query();
        if (subscriptionId is not null) q = q.Where(StoreLayout.ReplicasOf(subscriptionId));
        return q.OrderByDescending("received").Limit(Math.Max(limit, 0)).ToList()
            .Select(d => FromBson(d["sub"].AsString, d)).ToList();
    });

    public IEnumerable<(string RecordId, long Revision)> Revisions(string subscriptionId) => _database.Read(() =>
        Col.Query().Where(StoreLayout.ReplicasOf(subscriptionId)).Where("$.del = false").OrderBy("_id").Select("{_id: $._id, rev: $.rev}").ToEnumerable()
            .Select(d => (d["_id"].AsString[(subscriptionId.Length + 1)..], d["rev"].AsInt64)).ToList());

    public void Purge(string subscriptionId) => _database.Write(() => { Col.DeleteMany(StoreLayout.ReplicasOf(subscriptionId)); });

    private static ReplicaRecord FromBson(string subscriptionId, BsonDocument d) => new()
    {
        SubscriptionId = subscriptionId, RecordId = d["_id"].AsString[(subscriptionId.Length + 1)..], ObjectUri = d["uri"].AsString, Revision = d["rev"].AsInt64,
        Deleted = d["del"].AsBoolean, Data = d["data"].IsNull ? default : JsonBson.ToJson(d["data"]), Name = Bson.Text(d["name"]),
        ReceivedAt = Bson.Time(d["received"]), ActivityId = Bson.Text(d["activity"]),
        SignedObject = d.TryGetValue("signed", out var signed) ? Bson.Text(signed) : null,
        ProofVerified = d.TryGetValue("verified", out var verified) && verified.IsBoolean && verified.AsBoolean,
    };
}
