using Commons.Core.Records;
using Commons.Storage.Federation;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// Every store query passes its values as parameters (<see cref="StoreQueries"/>): a value written into the expression's
/// text made LiteDB compile and keep one more expression per value, for the life of the process. The parameters must not
/// cost the index: ranges still walk the primary key, lookups still use their field's index.
/// </summary>
[Collection(nameof(QueryTextTests))]
public sealed class QueryTextTests : IDisposable
{
    private const int Distinct = 200;
    // Run alone (see below), so only the few first-time shapes of these tests may add to the cache.
    private const int Slack = 40;
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Reading_the_feed_from_ever_new_positions_compiles_no_new_expression()
    {
        var key = _node.CreateDataset("feed").Key;
        for (var i = 0; i < 5; i++) _node.Records.Create(Admin, "feed", $"r{i}", Body($$"""{ "i": {{i}} }"""));
        _node.Feed.Since(key, 0, 10);
        var before = LiteExpressionCache.Count();

        for (var seq = 1; seq <= Distinct; seq++) _node.Feed.Since(key, seq * 1_000L, 10);

        Assert.InRange(LiteExpressionCache.Count() - before, 0, Slack);
        Assert.Equal(4, _node.Feed.Since(key, 1, 10).Count); // still the changes after the position
    }

    [Fact]
    public void Ranges_and_lookups_with_ever_new_values_compile_no_new_expression()
    {
        var replicas = new LiteReplicaStore(_node.Database);
        var followers = new LiteFollowerStore(_node.Database);
        var lookups = () =>
        {
            _node.ModuleStore.Read("probe", d => d.Range("docs", "a", "b", 10));
            replicas.List("sub", null, 10);
            followers.WithInbox("https://peer.example/inbox");
            _node.TokenStore.ListFor("someone");
        };
        lookups();
        var before = LiteExpressionCache.Count();

        for (var i = 0; i < Distinct; i++)
        {
            _node.ModuleStore.Read("probe", d => d.Range("docs", $"k{i:D4}", $"k{i:D4}z", 10));
            replicas.List($"sub{i}", null, 10);
            followers.WithInbox($"https://peer{i}.example/inbox");
            _node.TokenStore.ListFor($"member{i}");
        }

        Assert.InRange(LiteExpressionCache.Count() - before, 0, Slack);
    }

    [Fact]
    public void Listings_with_ever_new_cursors_filters_and_terms_keep_no_new_shape_and_compile_no_new_expression()
    {
        _node.CreateDataset("places", """{ "type": "object", "properties": { "name": { "type": "string" }, "n": { "type": "integer" } } }""");
        for (var i = 0; i < 5; i++) _node.Records.Create(Admin, "places", $"r{i}", Body($$"""{ "name": "n{{i}}", "n": {{i}} }"""));
        var sorted = new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name"), Limit = 2 };
        var listings = (int i, string cursor) =>
        {
            _node.Records.List(Admin, "places", sorted with { Cursor = cursor });
            _node.Records.List(Admin, "places", sorted with { Cursor = cursor, Sort = sorted.Sort with { Descending = true } });
            _node.Records.List(Admin, "places", new RecordQuery { Filters = [new FieldFilter("n", Body(i.ToString()))], TextTerms = [$"t{i}"] });
        };
        var cursor = _node.Records.List(Admin, "places", sorted).NextCursor!;
        listings(0, cursor);
        _node.Records.List(Admin, "places", new RecordQuery { Limit = 1 });
        var (shapes, compiled) = (_node.Database.QueryExpressions.ShapeCount, LiteExpressionCache.Count());

        for (var i = 1; i <= Distinct; i++)
        {
            // A cursor this node gave out for another value: a name no record has, after it the records past it.
            var page = _node.Records.List(Admin, "places", new RecordQuery { Limit = 1, Cursor = null });
            listings(i, Cursor($"m{i:D4}", page.Items[0].Id));
        }

        Assert.Equal(shapes, _node.Database.QueryExpressions.ShapeCount);
        Assert.InRange(LiteExpressionCache.Count() - compiled, 0, Slack);
    }

    private static string Cursor(string value, string id)
    {
        var bytes = BsonSerializer.Serialize(new BsonDocument { ["v"] = value, ["i"] = id });
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [Fact]
    public void Conditions_joined_keep_each_ones_values()
    {
        var col = _node.Database.Raw().GetCollection("scratch");
        col.Insert(new BsonDocument { ["_id"] = 1, ["a"] = 1, ["b"] = "x" });
        col.Insert(new BsonDocument { ["_id"] = 2, ["a"] = 2, ["b"] = "y" });
        col.Insert(new BsonDocument { ["_id"] = 3, ["a"] = 2, ["b"] = "x" });

        var both = StoreQueries.And(StoreQueries.EQ("a", 2), StoreQueries.EQ("b", "x"));
        var either = StoreQueries.Or(StoreQueries.And(StoreQueries.EQ("a", 1), StoreQueries.EQ("b", "x")), StoreQueries.In("b", new BsonArray { "y" }));

        Assert.Equal([3], col.Find(both).Select(d => d["_id"].AsInt32));
        Assert.Equal([1, 2], col.Find(either).Select(d => d["_id"].AsInt32).Order());
        Assert.Equal([1, 2, 3], col.Find(StoreQueries.Between("_id", 1, 3)).Select(d => d["_id"].AsInt32).Order());
        Assert.Equal([1], col.Find(StoreQueries.LT("_id", 2)).Select(d => d["_id"].AsInt32));
    }

    public static TheoryData<string> Ranges => new() { "records", "changes", "changes-after", "replicas", "module" };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Ranges_walk_the_primary_key(string range)
    {
        var db = _node.Database.Raw();
        var (collection, where) = range switch
        {
            "records" => (StoreLayout.Records, StoreLayout.RecordsOf(7)),
            "changes" => (StoreLayout.Changes, StoreLayout.ChangesOf(7)),
            "changes-after" => (StoreLayout.Changes, StoreLayout.ChangesOf(7, 12_345)),
            "replicas" => (StoreLayout.Replicas, StoreLayout.ReplicasOf("sub7")),
            _ => (StoreLayout.ModuleData, StoreQueries.Between("_id", "probe/docs/a", "probe/docs/b")),
        };
        var plan = db.GetCollection(collection).Query().Where(where).GetPlan();

        Assert.Equal("$._id", plan["index"]["expr"].AsString);
        Assert.Contains("BETWEEN", plan["index"]["mode"].AsString);
    }

    [Fact]
    public void Lookups_use_their_fields_index()
    {
        var followers = _node.Database.Raw().GetCollection("followers");
        followers.EnsureIndex("deliveryInbox");
        var plan = followers.Query().Where(StoreQueries.EQ("deliveryInbox", "https://peer.example/inbox")).GetPlan();

        Assert.Equal("$.deliveryInbox", plan["index"]["expr"].AsString);
        Assert.StartsWith("INDEX SEEK", plan["index"]["mode"].AsString);
    }
}

/// <summary>The expression cache is process-wide: tests that count it run with no other test compiling meanwhile.</summary>
[CollectionDefinition(nameof(QueryTextTests), DisableParallelization = true)]
public sealed class QueryTextTestsRunAlone;
