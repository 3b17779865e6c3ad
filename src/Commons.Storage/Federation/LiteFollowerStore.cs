using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

public sealed class LiteFollowerStore : IFollowerStore
{
    private readonly CommonsDatabase _database;
    public LiteFollowerStore(CommonsDatabase database)
    {
        _database = database;
        database.Read(() =>
        {
            Col.EnsureIndex("slug");
            Col.EnsureIndex("deliveryInbox");
        });
    }

    internal const string Collection = "followers";
    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection(Collection);
    internal static string Key(string slug, string actor) => slug + "\n" + actor;

    public Follower? Find(string datasetSlug, string actorUri) => _database.Read(() => Col.FindById(Key(datasetSlug, actorUri))) is { } d ? FromBson(d) : null;

    public IReadOnlyList<Follower> List(string datasetSlug, FollowerState? state = null) =>
        _database.Read(() => Col.Find(StoreQueries.EQ("slug", datasetSlug)).Select(FromBson).ToList()).Where(f => state is null || f.State == state).OrderBy(f => f.Since).ToList();

    public void Upsert(Follower f) => _database.Write(() => Col.Upsert(new BsonDocument
    {
        ["_id"] = Key(f.DatasetSlug, f.ActorUri), ["slug"] = f.DatasetSlug, ["actor"] = f.ActorUri, ["inbox"] = f.Inbox,
        ["sharedInbox"] = Bson.Text(f.SharedInbox), ["deliveryInbox"] = f.DeliveryInbox, ["follow"] = f.FollowActivityId,
        ["state"] = (int)f.State, ["since"] = Bson.Time(f.Since), ["approvedBy"] = Bson.Text(f.ApprovedBy),
    }));

    public bool Remove(string datasetSlug, string actorUri) => _database.Write(() => Col.Delete(Key(datasetSlug, actorUri)));

    public IReadOnlyList<Follower> WithInbox(string inbox) => _database.Read(() => Col.Find(StoreQueries.EQ("deliveryInbox", inbox)).Select(FromBson).ToList());

    private static Follower FromBson(BsonDocument d) => new()
    {
        DatasetSlug = d["slug"].AsString, ActorUri = d["actor"].AsString, Inbox = d["inbox"].AsString,
        SharedInbox = Bson.Text(d["sharedInbox"]), FollowActivityId = d["follow"].AsString,
        State = (FollowerState)d["state"].AsInt32, Since = Bson.Time(d["since"]), ApprovedBy = Bson.Text(d["approvedBy"]),
    };
}
