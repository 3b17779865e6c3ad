using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

/// <summary>
/// Revocations of every dataset in one fixed collection (never one per dataset: see <see cref="StoreLayout"/>), keyed by
/// the Reject's activity id, indexed by dataset and by (dataset, follower). A revocation commits with the follower's
/// removal and the Reject's deliveries.
/// </summary>
public sealed class LiteRevocationStore : IRevocationStore
{
    internal const string Collection = "revocations";

    private readonly CommonsDatabase _database;

    public LiteRevocationStore(CommonsDatabase database)
    {
        _database = database;
        database.Read(() =>
        {
            Col.EnsureIndex("slug");
            Col.EnsureIndex("follower");
        });
    }

    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection(Collection);

    public void Revoke(Revocation revocation, IEnumerable<DeliveryItem> rejectDeliveries) => _database.Write(() =>
    {
        Col.Insert(ToBson(revocation));
        _database.Engine.GetCollection(LiteFollowerStore.Collection).Delete(LiteFollowerStore.Key(revocation.DatasetSlug, revocation.ActorUri));
        var deliveries = _database.Engine.GetCollection(LiteDeliveryQueue.Collection);
        foreach (var item in rejectDeliveries) deliveries.Insert(LiteDeliveryQueue.ToBson(item));
    });

    public Revocation? FindByReject(string rejectActivityId) => _database.Read(() => Col.FindById(rejectActivityId)) is { } d ? FromBson(d) : null;

    public IReadOnlyList<Revocation> List(string datasetSlug) =>
        _database.Read(() => Col.Find(StoreQueries.EQ("slug", datasetSlug)).Select(FromBson).ToList()).OrderByDescending(r => r.RevokedAt).ToList();

    public IReadOnlyList<Revocation> Of(string datasetSlug, string actorUri) =>
        _database.Read(() => Col.Find(StoreQueries.EQ("follower", LiteFollowerStore.Key(datasetSlug, actorUri))).Select(FromBson).ToList()).OrderByDescending(r => r.RevokedAt).ToList();

    public bool Confirm(string rejectActivityId, DateTimeOffset purgedAt, string confirmationId) => _database.Write(() =>
    {
        var d = Col.FindById(rejectActivityId);
        if (d is null || !d["confirmation"].IsNull) return false;
        d["purgedAt"] = Bson.Time(purgedAt);
        d["confirmation"] = confirmationId;
        return Col.Update(d);
    });

    private static BsonDocument ToBson(Revocation r) => new()
    {
        ["_id"] = r.RejectActivityId, ["slug"] = r.DatasetSlug, ["actor"] = r.ActorUri, ["follower"] = LiteFollowerStore.Key(r.DatasetSlug, r.ActorUri),
        ["revokedAt"] = Bson.Time(r.RevokedAt), ["reason"] = r.Reason, ["purgedAt"] = Bson.Time(r.PurgedAt), ["confirmation"] = Bson.Text(r.ConfirmationId),
    };

    private static Revocation FromBson(BsonDocument d) => new()
    {
        RejectActivityId = d["_id"].AsString, DatasetSlug = d["slug"].AsString, ActorUri = d["actor"].AsString,
        RevokedAt = Bson.Time(d["revokedAt"]), Reason = d["reason"].AsString, PurgedAt = Bson.OptionalTime(d["purgedAt"]),
        ConfirmationId = Bson.Text(d["confirmation"]),
    };
}
