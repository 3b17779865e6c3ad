using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

/// <summary>The durable outbox: deliveries survive restarts and crashes; each dataset's fan-out cursor moves with its enqueues.</summary>
public sealed class LiteDeliveryQueue : IDeliveryQueue
{
    private readonly CommonsDatabase _database;
    public LiteDeliveryQueue(CommonsDatabase database)
    {
        _database = database;
        database.Read(() =>
        {
            Col.EnsureIndex("next");
            Col.EnsureIndex("dead");
        });
    }

    internal const string Collection = "deliveries";
    private ILiteCollection<BsonDocument> Col => _database.Db.GetCollection(Collection);
    private ILiteCollection<BsonDocument> Cursors => _database.Db.GetCollection("fanout");

    public void Enqueue(IEnumerable<DeliveryItem> items) => _database.Write(() => { foreach (var i in items) Col.Insert(ToBson(i)); });

    // The instant is a parameter, never part of the expression's text: LiteDB parses, compiles (to a new dynamic method)
    // and caches for the life of the process every distinct expression text, so Query.LTE("next", now) leaked one compiled
    // expression per poll and JIT-compiled it on the delivery path.
    private const string DueNow = "dead = false AND next <= @0";
    private const string WaitingAfter = "dead = false AND next > @0";

    public IReadOnlyList<DeliveryItem> Due(DateTimeOffset now, int limit) => _database.Read(() =>
        Col.Find(BsonExpression.Create(DueNow, new BsonValue(now.UtcTicks)), limit: limit).Select(FromBson).ToList());

    public DeliveryItem? Find(string id) => _database.Read(() => Col.FindById(id)) is { } d ? FromBson(d) : null;
    public void Complete(string id) => _database.Write(() => Col.Delete(id));
    public void Complete(IReadOnlyCollection<string> ids) => _database.Write(() => { foreach (var id in ids) Col.Delete(id); });
    public void Update(DeliveryItem item) => _database.Write(() => Col.Upsert(ToBson(item)));

    public IReadOnlyList<DeliveryItem> List(bool dead, int limit) => _database.Read(() =>
        Col.Find(StoreQueries.EQ("dead", dead), limit: limit).Select(FromBson).ToList()).OrderBy(d => d.CreatedAt).ToList();

    public long CountPending() => _database.Read(() => Col.LongCount(StoreQueries.EQ("dead", false)));

    public IReadOnlyList<DeliveryItem> Page(bool dead, int offset, int limit) => _database.Read(() =>
        Col.Find(StoreQueries.EQ("dead", dead)).Select(FromBson).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Skip(Math.Max(offset, 0)).Take(Math.Max(limit, 0)).ToList());

    public long CountDead() => _database.Read(() => Col.LongCount(StoreQueries.EQ("dead", true)));
    public long CountRetrying() => _database.Read(() => Col.LongCount(StoreQueries.And(StoreQueries.EQ("dead", false), StoreQueries.GT("attempts", 0))));

    public bool Discard(string id) => _database.Write(() =>
        Col.FindById(id) is { } d && d["dead"].AsBoolean && Col.Delete(id));

    public int BringForward(string authority, DateTimeOffset now) => _database.Write(() =>
    {
        var waiting = Col.Find(BsonExpression.Create(WaitingAfter, new BsonValue(now.UtcTicks)))
            .Where(d => Uri.TryCreate(d["inbox"].AsString, UriKind.Absolute, out var inbox) && string.Equals(inbox.Authority, authority, StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (var d in waiting)
        {
            d["next"] = Bson.Time(now);
            Col.Update(d);
        }
        return waiting.Count;
    });

    public long FanOutCursor(string datasetSlug) => _database.Read(() => Cursors.FindById(datasetSlug)?["seq"].AsInt64 ?? 0);

    public void EnqueueFanOut(string datasetSlug, long seq, IEnumerable<DeliveryItem> items) => _database.Write(() =>
    {
        foreach (var i in items) Col.Insert(ToBson(i));
        Cursors.Upsert(new BsonDocument { ["_id"] = datasetSlug, ["seq"] = seq });
    });

    internal static BsonDocument ToBson(DeliveryItem i) => new()
    {
        ["_id"] = i.Id, ["inbox"] = i.Inbox, ["sender"] = i.Sender, ["json"] = i.ActivityJson, ["type"] = Bson.Text(i.ActivityType),
        ["attempts"] = i.Attempts, ["created"] = Bson.Time(i.CreatedAt), ["next"] = Bson.Time(i.NextAttemptAt),
        ["error"] = Bson.Text(i.LastError), ["dead"] = i.Dead,
    };

    private static DeliveryItem FromBson(BsonDocument d) => new()
    {
        Id = d["_id"].AsString, Inbox = d["inbox"].AsString, Sender = d["sender"].AsString, ActivityJson = d["json"].AsString,
        ActivityType = Bson.Text(d["type"]), Attempts = d["attempts"].AsInt32, CreatedAt = Bson.Time(d["created"]),
        NextAttemptAt = Bson.Time(d["next"]), LastError = Bson.Text(d["error"]), Dead = d["dead"].AsBoolean,
    };
}
