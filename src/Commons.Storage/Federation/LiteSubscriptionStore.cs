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

    internal const string Collection = "subscriptions";

    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection(Collection);

    /// <summary>
    /// A backfill page's progress on a stored subscription document, for the write that stores the page
    /// (<see cref="LiteReplicaStore.ApplyPage"/>): the checkpoint never moves back, and the failures of earlier rounds are cleared.
    /// </summary>
    internal static void MarkBackfillProgress(BsonDocument d, long last, bool done, DateTimeOffset at)
    {
        d["backfillAfter"] = Math.Max(d["backfillAfter"].AsInt64, last);
        d["backfillDone"] = done;
        d["backfillDoneAt"] = done ? Bson.Time(at) : BsonValue.Null;
        d["backfillFailures"] = 0;
        d["backfillRetryAt"] = BsonValue.Null;
        d["backfillError"] = BsonValue.Null;
    }

    public Subscription? Find(string id) => _database.Read(() => Col.FindById(id)) is { } d ? FromBson(d) : null;
    public Subscription? FindByActor(string datasetActor) => _database.Read(() => Col.FindOne(StoreQueries.EQ("actor", datasetActor))) is { } d ? FromBson(d) : null;
    public IReadOnlyList<Subscription> List() => _database.Read(() => Col.FindAll().Select(FromBson).ToList()).OrderBy(s => s.Since).ToList();
    public void Remove(string id) => _database.Write(() => Col.Delete(id));

    public void Upsert(Subscription s) => _database.Write(() => Col.Upsert(new BsonDocument
    {
        ["_id"] = s.Id, ["actor"] = s.DatasetActor, ["handle"] = Bson.Text(s.Handle), ["inbox"] = s.Inbox, ["name"] = Bson.Text(s.Name),
        ["nameMap"] = Map(s.NameMap),
        ["policy"] = s.Policy is { } policy ? new BsonValue((int)policy) : BsonValue.Null,
        ["schema"] = Bson.Text(s.Schema), ["titleField"] = Bson.Text(s.TitleField), ["columns"] = new BsonArray(s.Columns.Select(c => new BsonValue(c))),
        ["kind"] = Bson.Text(s.Kind),
        ["descriptionMap"] = Map(s.DescriptionMap), ["description"] = Bson.Text(s.Description),
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
        NameMap = Map(d, "nameMap"),
        // Subscriptions stored before the node kept the origin's display read with none: the next actor Update fills them in.
        Schema = d.TryGetValue("schema", out var schema) ? Bson.Text(schema) : null,
        TitleField = d.TryGetValue("titleField", out var titleField) ? Bson.Text(titleField) : null,
        // None as the shared empty list, so a subscription read back equals the one written.
        Columns = d.TryGetValue("columns", out var columns) && columns.IsArray && columns.AsArray.Count > 0
            ? columns.AsArray.Where(c => c.IsString).Select(c => c.AsString).ToList() : Array.Empty<string>(),
        Kind = d.TryGetValue("kind", out var kind) ? Bson.Text(kind) : null,
        DescriptionMap = Map(d, "descriptionMap"),
        Description = d.TryGetValue("description", out var description) ? Bson.Text(description) : null,
        Policy = d.TryGetValue("policy", out var policy) && policy.IsNumber ? (Commons.Core.Datasets.SharingPolicy)policy.AsInt32 : null,
        FollowActivityId = d["follow"].AsString, State = (SubscriptionState)d["state"].AsInt32,
        RequestedBy = d["by"].AsString, Since = Bson.Time(d["since"]), ChangedAt = Bson.OptionalTime(d["changedAt"]), Reason = Bson.Text(d["reason"]),
        BackfillAfter = d["backfillAfter"].AsInt64, BackfillDone = d["backfillDone"].AsBoolean, BackfillDoneAt = Bson.OptionalTime(d["backfillDoneAt"]),
        PurgedRecords = d.TryGetValue("purged", out var purged) && purged.IsNumber ? purged.AsInt64 : null,
        BackfillFailures = d.TryGetValue("backfillFailures", out var failures) && failures.IsNumber ? failures.AsInt32 : 0,
        BackfillRetryAt = d.TryGetValue("backfillRetryAt", out var retryAt) ? Bson.OptionalTime(retryAt) : null,
        BackfillError = d.TryGetValue("backfillError", out var error) ? Bson.Text(error) : null,
    };

    private static BsonValue Map(Commons.Core.Datasets.LocalizedText? text) =>
        text is { } t ? new BsonDocument { ["fr"] = Bson.Text(t.Fr), ["nl"] = Bson.Text(t.Nl), ["en"] = Bson.Text(t.En) } : BsonValue.Null;

    private static Commons.Core.Datasets.LocalizedText? Map(BsonDocument d, string key) =>
        d.TryGetValue(key, out var map) && map.IsDocument ? new Commons.Core.Datasets.LocalizedText(Bson.Text(map["fr"]), Bson.Text(map["nl"]), Bson.Text(map["en"])) : null;
}
