using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

public sealed class LiteSubscriptionStore : ISubscriptionStore
{
    private readonly CommonsDatabase _database;
    public LiteSubscriptionStore(CommonsDatabase database)
    {
        _database = database;
        database.Read(() => Col.EnsureIndex("actor", unique: true));
    }

    private ILiteCollection<BsonDocument> Col => _database.Db.GetCollection("subscriptions");

    public Subscription? Find(string id) => _database.Read(() => Col.FindById(id)) is { } d ? FromBson(d) : null;
    public Subscription? FindByActor(string datasetActor) => _database.Read(() => Col.FindOne(Query.EQ("actor", datasetActor))) is { } d ? FromBson(d) : null;
    public IReadOnlyList<Subscription> List() => _database.Read(() => Col.FindAll().Select(FromBson).ToList()).OrderBy(s => s.Since).ToList();
    public void Remove(string id) => _database.Write(() => Col.Delete(id));

    public void Upsert(Subscription s) => _database.Write(() => Col.Upsert(new BsonDocument
    {
        ["_id"] = s.Id, ["actor"] = s.DatasetActor, ["handle"] = Bson.Text(s.Handle), ["inbox"] = s.Inbox, ["name"] = Bson.Text(s.Name),
        ["nameMap"] = s.NameMap is { } map ? new BsonDocument { ["fr"] = Bson.Text(map.Fr), ["nl"] = Bson.Text(map.Nl), ["en"] = Bson.Text(map.En) } : BsonValue.Null,
        ["policy"] = s.Policy is { } policy ? new BsonValue((int)policy) : BsonValue.Null,
        ["follow"] = s.FollowActivityId, ["state"] = (int)s.State, ["by"] = s.RequestedBy, ["since"] = Bson.Time(s.Since),
        ["changedAt"] = Bson.Time(s.ChangedAt), ["reason"] = Bson.Text(s.Reason),
        ["backfillAfter"] = s.BackfillAfter, ["backfillDone"] = s.BackfillDone, ["backfillDoneAt"] = Bson.Time(s.BackfillDoneAt),
        ["purged"] = s.PurgedRecords is { } purged ? new BsonValue(purged) : BsonValue.Null,
        ["backfillFailures"] = s.BackfillFailures, ["backfillRetryAt"] = Bson.Time(s.BackfillRetryAt), ["backfillError"] = Bson.Text(s.BackfillError),
    }));

    private static Subscription FromBson(BsonDocument d) => new()
    {
        Id = d["_id"].AsString, DatasetActor = d["actor"].AsString, Handle = Bson.Text(d["handle"]), Inbox = d["inbox"].AsString,
        Name = Bson.Text(d["name"]),
        NameMap = d.TryGetValue("nameMap", out var map) && map.IsDocument ? new Commons.Core.Datasets.LocalizedText(Bson.Text(map["fr"]), Bson.Text(map["nl"]), Bson.Text(map["en"])) : null,
        Policy = d.TryGetValue("policy", out var policy) && policy.IsNumber ? (Commons.Core.Datasets.SharingPolicy)policy.AsInt32 : null,
        FollowActivityId = d["follow"].AsString, State = (SubscriptionState)d["state"].AsInt32,
        RequestedBy = d["by"].AsString, Since = Bson.Time(d["since"]), ChangedAt = Bson.OptionalTime(d["changedAt"]), Reason = Bson.Text(d["reason"]),
        BackfillAfter = d["backfillAfter"].AsInt64, BackfillDone = d["backfillDone"].AsBoolean, BackfillDoneAt = Bson.OptionalTime(d["backfillDoneAt"]),
        PurgedRecords = d.TryGetValue("purged", out var purged) && purged.IsNumber ? purged.AsInt64 : null,
        BackfillFailures = d.TryGetValue("backfillFailures", out var failures) && failures.IsNumber ? failures.AsInt32 : 0,
        BackfillRetryAt = d.TryGetValue("backfillRetryAt", out var retryAt) ? Bson.OptionalTime(retryAt) : null,
        BackfillError = d.TryGetValue("backfillError", out var error) ? Bson.Text(error) : null,
    };
}
