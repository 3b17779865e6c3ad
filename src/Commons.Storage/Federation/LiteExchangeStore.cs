using Commons.Core.Exchanges;
using LiteDB;

namespace Commons.Storage.Federation;

/// <summary>
/// Exchanges in one collection: <c>_id</c> = the request's id, <c>key</c> = creation time and id (the listing order and
/// its cursor). Every read goes through <see cref="CommonsDatabase.Read{T}"/>, every write through <see cref="CommonsDatabase.Write{T}"/>.
/// </summary>
public sealed class LiteExchangeStore : IExchangeStore
{
    private readonly CommonsDatabase _database;

    public LiteExchangeStore(CommonsDatabase database)
    {
        _database = database;
        database.Read(() =>
        {
            Col.EnsureIndex("key", unique: true);
            Col.EnsureIndex("ref", unique: true);
            Col.EnsureIndex("pendingUntil");
        });
    }

    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection("exchanges");

    public Exchange? Find(string id) => _database.Read(() => Col.FindById(id) is { } d ? FromBson(d) : null);

    public Exchange? FindByRef(string reference) => _database.Read(() => Col.FindOne(StoreQueries.EQ("ref", reference)) is { } d ? FromBson(d) : null);

    public bool TryAdd(Exchange exchange) => _database.Write(() =>
    {
        if (Col.FindById(exchange.Id) is not null) return false;
        Col.Insert(ToBson(exchange));
        return true;
    });

    public bool TryUpdate(Exchange exchange, ExchangeState expected) => _database.Write(() =>
        Col.FindById(exchange.Id) is { } stored && stored["state"].AsInt32 == (int)expected && Col.Update(ToBson(exchange)));

    public ExchangePage List(ExchangeQuery query) => _database.Read(() =>
    {
        var conditions = new List<BsonExpression>();
        if (!query.All)
        {
            var visible = new List<BsonExpression>();
            if (query.Member is { } member)
                visible.Add(StoreQueries.And(StoreQueries.EQ("dir", (int)ExchangeDirection.Outgoing), StoreQueries.EQ("by", member)));
            if (query.StewardOf.Count > 0)
                visible.Add(StoreQueries.And(StoreQueries.EQ("dir", (int)ExchangeDirection.Incoming), StoreQueries.In("slug", Bson.Strings(query.StewardOf))));
            if (visible.Count == 0) return new ExchangePage([], null);
            conditions.Add(visible.Count == 1 ? visible[0] : StoreQueries.Or(visible.ToArray()));
        }
        if (query.Direction is { } direction) conditions.Add(StoreQueries.EQ("dir", (int)direction));
        if (query.State is { } state) conditions.Add(StoreQueries.EQ("state", (int)state));
        if (query.Type is { } type) conditions.Add(StoreQueries.EQ("type", type));
        if (query.After is { } after) conditions.Add(StoreQueries.LT("key", after));
        var q = Col.Query();
        foreach (var condition in conditions) q = q.Where(condition);
        var items = q.OrderByDescending("key").Limit(query.Limit).ToList();
        var next = items.Count == query.Limit ? items[^1]["key"].AsString : null;
        return new ExchangePage(items.Select(FromBson).ToList(), next);
    });

    public int ExpireOverdue(DateTimeOffset now, int limit) => _database.Write(() =>
    {
        var overdue = Col.Query().Where(StoreQueries.Between("pendingUntil", 0L, now.UtcTicks)).Limit(limit).ToList();
        foreach (var d in overdue) Col.Update(ToBson(FromBson(d) with { State = ExchangeState.Expired }));
        return overdue.Count;
    });

    private static BsonDocument ToBson(Exchange e) => new()
    {
        ["_id"] = e.Id,
        ["key"] = $"{e.CreatedAt.UtcTicks:D19}/{e.Id}",
        ["ref"] = e.Ref,
        ["dir"] = (int)e.Direction,
        ["slug"] = Bson.Text(e.DatasetSlug),
        ["target"] = e.TargetActor,
        ["requester"] = e.RequesterActor,
        ["peerInbox"] = e.PeerInbox,
        ["type"] = e.RequestType,
        ["kind"] = e.Kind,
        ["state"] = (int)e.State,
        ["code"] = Bson.Text(e.Code),
        ["detail"] = Bson.Text(e.Detail),
        ["body"] = e.Body.ValueKind == System.Text.Json.JsonValueKind.Undefined ? BsonValue.Null : e.Body.GetRawText(),
        ["result"] = e.Result is { } r ? r.GetRawText() : BsonValue.Null,
        ["by"] = Bson.Text(e.RequestedBy),
        ["answeredBy"] = Bson.Text(e.AnsweredBy),
        ["created"] = Bson.Time(e.CreatedAt),
        ["answered"] = Bson.Time(e.AnsweredAt),
        ["expires"] = Bson.Time(e.ExpiresAt),
        // Only outgoing pending exchanges can expire: the sweep reads this index, not the whole collection.
        ["pendingUntil"] = e is { Direction: ExchangeDirection.Outgoing, State: ExchangeState.Pending, ExpiresAt: { } x } ? x.UtcTicks : BsonValue.Null,
        ["answerId"] = Bson.Text(e.AnswerId),
        ["sent"] = Bson.Text(e.SentJson),
        ["late"] = Bson.Text(e.LateAnswer),
        ["received"] = Bson.Text(e.ReceivedJson),
        ["held"] = Bson.Time(e.HeldAt),
    };

    private static Exchange FromBson(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        Direction = (ExchangeDirection)d["dir"].AsInt32,
        DatasetSlug = Bson.Text(d["slug"]),
        TargetActor = d["target"].AsString,
        RequesterActor = d["requester"].AsString,
        PeerInbox = d["peerInbox"].AsString,
        RequestType = d["type"].AsString,
        Kind = d["kind"].AsString,
        State = (ExchangeState)d["state"].AsInt32,
        Code = Bson.Text(d["code"]),
        Detail = Bson.Text(d["detail"]),
        Body = d["body"].IsNull ? default : Json(d["body"].AsString),
        Result = d["result"].IsNull ? null : Json(d["result"].AsString),
        RequestedBy = Bson.Text(d["by"]),
        AnsweredBy = Bson.Text(d["answeredBy"]),
        CreatedAt = Bson.Time(d["created"]),
        AnsweredAt = Bson.OptionalTime(d["answered"]),
        ExpiresAt = Bson.OptionalTime(d["expires"]),
        AnswerId = Bson.Text(d["answerId"]),
        SentJson = Bson.Text(d["sent"]),
        LateAnswer = Bson.Text(d["late"]),
        ReceivedJson = d.ContainsKey("received") ? Bson.Text(d["received"]) : null,
        // Exchanges stored before "held" was kept were all decided when they arrived.
        HeldAt = d.ContainsKey("held") ? Bson.OptionalTime(d["held"]) : Bson.Time(d["created"]),
    };

    private static System.Text.Json.JsonElement Json(string text)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
