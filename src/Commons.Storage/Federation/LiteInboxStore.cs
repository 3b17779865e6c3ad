using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

public sealed class LiteInboxStore : IInboxStore
{
    private readonly CommonsDatabase _database;
    public LiteInboxStore(CommonsDatabase database)
    {
        _database = database;
        database.Read(() => Col.EnsureIndex("processed"));
    }

    private ILiteCollection<BsonDocument> Col => _database.Engine.GetCollection("inbox");

    public bool TryAdd(InboxEntry e) => _database.Write(() => TryInsert(Col, e));

    public IReadOnlyList<bool> TryAddMany(IReadOnlyList<InboxEntry> entries) => _database.Write(() =>
    {
        var col = Col;
        var stored = new bool[entries.Count];
        for (var i = 0; i < entries.Count; i++) stored[i] = TryInsert(col, entries[i]);
        return stored;
    });

    /// <summary>Inside a write: inserts the entry unless its id is held (this transaction's inserts included).</summary>
    private static bool TryInsert(ILiteCollection<BsonDocument> col, InboxEntry e)
    {
        if (col.FindById(e.ActivityId) is not null) return false;
        col.Insert(new BsonDocument
        {
            ["_id"] = e.ActivityId, ["actor"] = e.ActorUri, ["json"] = e.Json, ["received"] = Bson.Time(e.ReceivedAt),
            ["processed"] = false, ["outcome"] = BsonValue.Null,
        });
        return true;
    }

    public IReadOnlyList<InboxEntry> Unprocessed(int limit) =>
        _database.Read(() => Col.Query().Where(StoreQueries.EQ("processed", false)).OrderBy("$.received").Limit(limit).ToList()).Select(d => new InboxEntry
        {
            ActivityId = d["_id"].AsString, ActorUri = d["actor"].AsString, Json = d["json"].AsString,
            ReceivedAt = Bson.Time(d["received"]), Processed = false,
        }).ToList();

    public void MarkProcessed(string activityId, string outcome) => _database.Write(() =>
    {
        var d = Col.FindById(activityId);
        if (d is null) return;
        d["processed"] = true;
        d["outcome"] = outcome;
        d["json"] = ""; // the activity has been applied; its id stays for de-duplication
        Col.Update(d);
    });
}
