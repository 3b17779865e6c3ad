using Commons.Core.Federation;
using Commons.Core.Text;
using LiteDB;

namespace Commons.Storage.Federation;

/// <summary>Replicas of followed datasets: one collection per subscription, a record replaced only by a newer revision.</summary>
public sealed class LiteReplicaStore(CommonsDatabase database) : IReplicaStore
{
    private ILiteCollection<BsonDocument> Col(string subscriptionId) => database.Db.GetCollection("p" + subscriptionId);

    public ReplicaRecord? Get(string subscriptionId, string recordId) =>
        Col(subscriptionId).FindById(recordId) is { } d ? FromBson(subscriptionId, d) : null;

    public bool ApplyIfNewer(ReplicaRecord r) => database.Write(() =>
    {
        var col = Col(r.SubscriptionId);
        var current = col.FindById(r.RecordId);
        if (current is not null && current["rev"].AsInt64 >= r.Revision) return false;
        col.Upsert(new BsonDocument
        {
            ["_id"] = r.RecordId, ["uri"] = r.ObjectUri, ["rev"] = r.Revision, ["del"] = r.Deleted,
            ["data"] = r.Deleted ? BsonValue.Null : JsonBson.ToBson(r.Data), ["name"] = Bson.Text(r.Name),
            ["received"] = Bson.Time(r.ReceivedAt), ["activity"] = Bson.Text(r.ActivityId),
            ["txt"] = r.Deleted ? BsonValue.Null : SearchText.FromJson(r.Data),
        });
        return true;
    });

    public IReadOnlyList<ReplicaRecord> List(string subscriptionId, string? afterRecordId, int limit, string? textTerm = null)
    {
        var conditions = new List<BsonExpression> { Query.EQ("del", false) };
        if (afterRecordId is not null) conditions.Add(Query.GT("_id", afterRecordId));
        if (!string.IsNullOrWhiteSpace(textTerm)) conditions.Add(BsonExpression.Create("INDEXOF($.txt, @0) >= 0", new BsonValue(SearchText.Fold(textTerm))));
        return Col(subscriptionId).Query().Where(conditions.Count == 1 ? conditions[0] : Query.And(conditions.ToArray()))
            .OrderBy("_id").Limit(limit).ToList().Select(d => FromBson(subscriptionId, d)).ToList();
    }

    public long Count(string subscriptionId) => Col(subscriptionId).LongCount(Query.EQ("del", false));

    public void Purge(string subscriptionId) => database.Write(() => database.Db.DropCollection("p" + subscriptionId));

    private static ReplicaRecord FromBson(string subscriptionId, BsonDocument d) => new()
    {
        SubscriptionId = subscriptionId, RecordId = d["_id"].AsString, ObjectUri = d["uri"].AsString, Revision = d["rev"].AsInt64,
        Deleted = d["del"].AsBoolean, Data = d["data"].IsNull ? default : JsonBson.ToJson(d["data"]), Name = Bson.Text(d["name"]),
        ReceivedAt = Bson.Time(d["received"]), ActivityId = Bson.Text(d["activity"]),
    };
}
