using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

/// <summary>
/// The durable outbox: deliveries survive restarts and crashes; each dataset's fan-out cursor moves with its enqueues.
/// An activity's JSON is stored once in <see cref="BodyCollection"/> (keyed by its SHA-256) and each delivery refers to it:
/// a change goes to every follower, and one copy per inbox (~6 KB each) made every enqueue, poll and removal read or write
/// about one LiteDB page per delivery. A body counts the deliveries that refer to it (<c>refs</c>, changed in the same
/// transaction as they are) and is deleted with the last one. A count rather than an index on the deliveries' body key:
/// one more index cost every insert and removal an index node, more than the lookups it saved.
/// Deliveries written with their JSON inline (before bodies, or by <see cref="ToBson"/>) are read and removed as before.
/// </summary>
public sealed class LiteDeliveryQueue : IDeliveryQueue
{
    private readonly CommonsDatabase _database;

    /// <summary>
    /// The body key of each delivery handed out by <see cref="Due"/>, so that its removal need not read it back: a point read
    /// by id goes through LiteDB's whole query pipeline and cost more than the delete. A delivery's key changes only in
    /// <see cref="Update"/>, which forgets it here; a delivery missing here is read.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _dueBodies = new(StringComparer.Ordinal);

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
    public const string BodyCollection = "delivery_bodies";
    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection(Collection);
    private ILiteCollection<BsonDocument> Bodies => _database.Engine.GetCollection(BodyCollection);
    private ILiteCollection<BsonDocument> Cursors => _database.Engine.GetCollection("fanout");

    // The queue never holds a dataset document: its writes leave the decoded datasets trusted (CommonsDatabase.DatasetsEpoch).
    public void Enqueue(IEnumerable<DeliveryItem> items) => _database.Write(() => Insert(items), keepsDatasets: true);

    // The instant is a parameter, never part of the expression's text: LiteDB parses, compiles (to a new dynamic method)
    // and caches for the life of the process every distinct expression text, so Query.LTE("next", now) leaked one compiled
    // expression per poll and JIT-compiled it on the delivery path.
    private const string DueNow = "dead = false AND next <= @0";
    private const string WaitingAfter = "dead = false AND next > @0";

    /// <summary>Error of a delivery whose stored body is gone (a damaged store): dead-lettered, so it cannot hold up the queue.</summary>
    public const string MissingBodyError = "the activity's stored body is missing (damaged store); nothing was sent";

    public IReadOnlyList<DeliveryItem> Due(DateTimeOffset now, int limit)
    {
        var reader = new BodyReader(this, _dueBodies);
        var due = _database.Read(() => Col.Find(BsonExpression.Create(DueNow, new BsonValue(now.UtcTicks)), limit: limit).Select(reader.Item).ToList());
        if (reader.Missing.Count == 0) return due;
        // Each poll would hand them out first again and, once they fill a poll, no other delivery would ever go.
        _database.Write(() =>
        {
            foreach (var id in reader.Missing)
                if (Col.FindById(id) is { } d)
                {
                    d["dead"] = true;
                    d["error"] = MissingBodyError;
                    Col.Update(d);
                }
        });
        foreach (var id in reader.Missing) _dueBodies.TryRemove(id, out _);
        return due.Where(d => !reader.Missing.Contains(d.Id)).ToList();
    }

    public DeliveryItem? Find(string id) => _database.Read(() => Col.FindById(id) is { } d ? new BodyReader(this).Item(d) : null);
    public void Complete(string id) => _database.Write(() => Remove([id]), keepsDatasets: true);
    public void Complete(IReadOnlyCollection<string> ids) => _database.Write(() => Remove(ids), keepsDatasets: true);

    public void Update(DeliveryItem item) => _database.Write(() =>
    {
        _dueBodies.TryRemove(item.Id, out _);
        var before = Col.FindById(item.Id) is { } d && d["body"] is { IsString: true } b ? b.AsString : null;
        var key = BodyKey(item.ActivityJson);
        if (key != before)
        {
            Hold(key, item.ActivityJson, 1);
            if (before is not null) Release(before, 1);
        }
        Col.Upsert(ToBson(item, key));
    });

    public IReadOnlyList<DeliveryItem> List(bool dead, int limit) => _database.Read(() =>
        Col.Find(StoreQueries.EQ("dead", dead), limit: limit).Select(new BodyReader(this).Item).ToList()).OrderBy(d => d.CreatedAt).ToList();

    public long CountPending() => _database.Read(() => Col.LongCount(StoreQueries.EQ("dead", false)));

    public IReadOnlyList<DeliveryItem> Page(bool dead, int offset, int limit) => _database.Read(() =>
        Col.Find(StoreQueries.EQ("dead", dead)).Select(new BodyReader(this).Item).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Skip(Math.Max(offset, 0)).Take(Math.Max(limit, 0)).ToList());

    public long CountDead() => _database.Read(() => Col.LongCount(StoreQueries.EQ("dead", true)));
    public long CountRetrying() => _database.Read(() => Col.LongCount(StoreQueries.And(StoreQueries.EQ("dead", false), StoreQueries.GT("attempts", 0))));

    public bool Discard(string id) => _database.Write(() =>
        Col.FindById(id) is { } d && d["dead"].AsBoolean && Remove([id]) == 1);

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
        Insert(items);
        Cursors.Upsert(new BsonDocument { ["_id"] = datasetSlug, ["seq"] = seq });
    }, keepsDatasets: true);

    private void Insert(IEnumerable<DeliveryItem> items)
    {
        // The items of one change share one JSON string: it is hashed once, not once per inbox.
        var held = new Dictionary<string, (string Json, int Count)>(StringComparer.Ordinal);
        string? json = null, key = null;
        foreach (var i in items)
        {
            if (!ReferenceEquals(i.ActivityJson, json)) (json, key) = (i.ActivityJson, BodyKey(i.ActivityJson));
            held[key!] = (json, held.TryGetValue(key!, out var h) ? h.Count + 1 : 1);
            Col.Insert(ToBson(i, key));
        }
        foreach (var (k, h) in held) Hold(k, h.Json, h.Count);
    }

    private static string BodyKey(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary><paramref name="count"/> more deliveries refer to the body <paramref name="key"/> (stored now if it is not yet).</summary>
    private void Hold(string key, string json, int count)
    {
        if (Bodies.FindById(key) is { } body)
        {
            body["refs"] = body["refs"].AsInt32 + count;
            Bodies.Update(body);
        }
        else
        {
            Bodies.Insert(new BsonDocument { ["_id"] = key, ["json"] = json, ["refs"] = count });
        }
    }

    /// <summary><paramref name="count"/> fewer deliveries refer to the body <paramref name="key"/>: deleted when none does.</summary>
    private void Release(string key, int count)
    {
        if (Bodies.FindById(key) is not { } body) return;
        var refs = body["refs"].AsInt32 - count;
        if (refs > 0)
        {
            body["refs"] = refs;
            Bodies.Update(body);
        }
        else
        {
            Bodies.Delete(key);
        }
    }

    /// <summary>Deletes the deliveries of <paramref name="ids"/> and lets go of their bodies; returns how many were deleted.</summary>
    private int Remove(IReadOnlyCollection<string> ids)
    {
        var released = new Dictionary<string, int>(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var id in ids)
        {
            if (!_dueBodies.TryRemove(id, out var key))
            {
                if (Col.FindById(id) is not { } d) continue;
                key = d["body"] is { IsString: true } body ? body.AsString : null;
            }
            if (!Col.Delete(id)) continue;
            deleted++;
            if (key is not null) released[key] = released.GetValueOrDefault(key) + 1;
        }
        foreach (var (key, count) in released) Release(key, count);
        return deleted;
    }

    /// <summary>A delivery with its JSON inline, as written before bodies were stored apart (and by the revocation store).</summary>
    internal static BsonDocument ToBson(DeliveryItem i)
    {
        var d = ToBson(i, body: null);
        d["json"] = i.ActivityJson;
        return d;
    }

    private static BsonDocument ToBson(DeliveryItem i, string? body) => new()
    {
        ["_id"] = i.Id, ["inbox"] = i.Inbox, ["sender"] = i.Sender, ["body"] = Bson.Text(body), ["type"] = Bson.Text(i.ActivityType),
        ["attempts"] = i.Attempts, ["created"] = Bson.Time(i.CreatedAt), ["next"] = Bson.Time(i.NextAttemptAt),
        ["error"] = Bson.Text(i.LastError), ["dead"] = i.Dead,
    };

    /// <summary>Reads deliveries, each body once per read: the deliveries of one change share one string.</summary>
    private sealed class BodyReader(LiteDeliveryQueue queue, ConcurrentDictionary<string, string>? handedOut = null)
    {
        private readonly Dictionary<string, string> _bodies = new(StringComparer.Ordinal);

        public DeliveryItem Item(BsonDocument d) => new()
        {
            Id = d["_id"].AsString, Inbox = d["inbox"].AsString, Sender = d["sender"].AsString, ActivityJson = Json(d),
            ActivityType = Bson.Text(d["type"]), Attempts = d["attempts"].AsInt32, CreatedAt = Bson.Time(d["created"]),
            NextAttemptAt = Bson.Time(d["next"]), LastError = Bson.Text(d["error"]), Dead = d["dead"].AsBoolean,
        };

        /// <summary>Deliveries read whose body is missing; they are read with empty JSON.</summary>
        public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

        private string Json(BsonDocument d)
        {
            if (d["body"] is not { IsString: true } key) return d["json"].AsString;
            if (!_bodies.TryGetValue(key.AsString, out var json))
            {
                json = queue.Bodies.FindById(key.AsString)?["json"].AsString;
                if (json is null)
                {
                    Missing.Add(d["_id"].AsString);
                    return "";
                }
                _bodies[key.AsString] = json;
            }
            if (handedOut is not null) handedOut[d["_id"].AsString] = key.AsString;
            return json;
        }
    }
}
