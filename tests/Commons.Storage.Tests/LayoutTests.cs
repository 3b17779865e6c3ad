using System.Text.Json;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Storage.Federation;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// The shared-collection layout (<see cref="StoreLayout"/>): any number of datasets and subscriptions in a fixed set of
/// collections, each one a range of a primary key that never overlaps its neighbours and that LiteDB walks on the index.
/// </summary>
public sealed class LayoutTests : IDisposable
{
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private static ReplicaRecord Replica(string subscription, string id, long rev, string json = """{ "n": 1 }""", bool deleted = false) => new()
    {
        SubscriptionId = subscription, RecordId = id, ObjectUri = $"https://peer.example/records/{subscription}/{id}", Revision = rev,
        Data = Body(json), Deleted = deleted, Name = id, ReceivedAt = DateTimeOffset.UnixEpoch, ActivityId = $"act-{id}-{rev}",
    };

    [Fact]
    public void A_thousand_datasets_and_a_thousand_subscriptions_fit_in_the_fixed_collections()
    {
        const int count = 1_000;
        var replicas = new LiteReplicaStore(_node.Database);
        var keys = new int[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = _node.CreateDataset($"set-{i}").Key;
            _node.Records.Create(Admin, $"set-{i}", "only", Body($$"""{ "i": {{i}} }"""));
            Assert.True(replicas.ApplyIfNewer(Replica($"sub{i:D4}", "only", 1, $$"""{ "i": {{i}} }""")));
        }
        // the same few collections as a fresh store (the node's own ones, meta with the layout version, the shared ones), not one per dataset or subscription
        using (var fresh = new TestNode())
            Assert.Equal(fresh.Database.Raw().GetCollectionNames().Append("datasets").Order(StringComparer.Ordinal),
                _node.Database.Raw().GetCollectionNames().Order(StringComparer.Ordinal));
        Assert.Superset(StoreLayout.Shared.ToHashSet(), _node.Database.Raw().GetCollectionNames().ToHashSet());

        _node.Reopen();
        replicas = new LiteReplicaStore(_node.Database);
        Assert.Equal(count, _node.DatasetStore.List().Count);
        for (var i = 0; i < count; i++)
        {
            var record = _node.Records.Get(Admin, $"set-{i}", "only");
            Assert.Equal(i, record.Data.GetProperty("i").GetInt32());
            Assert.Equal("only", Assert.Single(_node.Records.List(Admin, $"set-{i}", new()).Items).Id);
            Assert.Equal(1, _node.RecordStore.Count(keys[i]));
            var change = Assert.Single(_node.Feed.Since(keys[i], 0, 10));
            Assert.Equal((1L, "only"), (change.Seq, change.RecordId));
            Assert.Equal(1, _node.Feed.LastSeq(keys[i]));

            var replica = replicas.Get($"sub{i:D4}", "only")!;
            Assert.Equal((i, "only"), (replica.Data.GetProperty("i").GetInt32(), replica.RecordId));
            Assert.Equal("only", Assert.Single(replicas.List($"sub{i:D4}", null, 10)).RecordId);
            Assert.Equal(1, replicas.Count($"sub{i:D4}"));
        }
        var report = StoreChecker.Run(_node.Database);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal((count, (long)count, (long)count), (report.Datasets, report.Records, report.Changes));
    }

    [Fact]
    public void Neighbouring_datasets_with_the_same_record_ids_stay_apart_in_listings_cursors_counts_and_feeds()
    {
        // keys 1..17: 0x0f, 0x10 and 0x11 are neighbours whose hex prefixes differ only in their last digits
        for (var k = 1; k <= 17; k++) _node.CreateDataset($"d{k}");
        foreach (var slug in new[] { "d15", "d16", "d17" })
            for (var i = 0; i < 7; i++)
                _node.Records.Create(Admin, slug, $"r{i}", Body($$"""{ "n": {{i}}, "from": "{{slug}}" }"""));
        _node.Records.Delete(Admin, "d16", "r3", null);
        var d16 = _node.DatasetStore.Find("d16")!;

        foreach (var sort in new[] { RecordSort.Default, new RecordSort(SortKey.Id, Descending: true), new RecordSort(SortKey.DataField, "n", Descending: true), new RecordSort(SortKey.CreatedAt) })
        {
            var seen = new List<Commons.Core.Records.Record>();
            string? cursor = null;
            do
            {
                var page = _node.Records.List(Admin, "d16", new RecordQuery { Sort = sort, Limit = 2, Cursor = cursor });
                seen.AddRange(page.Items);
                cursor = page.NextCursor;
                if (cursor is not null) Assert.DoesNotContain(StoreLayout.RecordPrefix(d16.Key), DecodedCursorId(cursor));
            } while (cursor is not null);
            Assert.All(seen, r => Assert.Equal("d16", r.Data.GetProperty("from").GetString()));
            Assert.Equal(6, seen.Select(r => r.Id).Distinct().Count());
            var expected = new[] { "r0", "r1", "r2", "r4", "r5", "r6" };
            Assert.Equal(sort.Descending ? expected.Reverse() : expected, seen.Select(r => r.Id));
        }
        Assert.Equal(["r5"], _node.Records.List(Admin, "d16", new RecordQuery { TextTerms = ["d16"], Filters = [new("n", Body("5"))] }).Items.Select(r => r.Id));
        Assert.Equal(6, _node.RecordStore.Count(d16.Key));
        Assert.Equal(7, _node.RecordStore.Count(d16.Key + 1));
        Assert.Equal(0, _node.RecordStore.Count(d16.Key + 2));
        Assert.Equal(8, _node.Feed.LastSeq(d16.Key));
        Assert.Equal(7, _node.Feed.LastSeq(d16.Key - 1));
        Assert.Equal(0, _node.Feed.LastSeq(1));
        Assert.Equal([7L, 8L], _node.Feed.Since(d16.Key, 6, 10).Select(c => c.Seq));
        Assert.Equal(8, _node.Feed.Since(d16.Key, -5, 100).Count);
        Assert.Empty(_node.Feed.Since(d16.Key, long.MaxValue, 100));

        _node.Datasets.Delete(Admin, "d16");
        Assert.Equal(7, _node.Records.List(Admin, "d15", new()).Items.Count);
        Assert.Equal(7, _node.Records.List(Admin, "d17", new()).Items.Count);
        Assert.Equal(7, _node.Feed.LastSeq(d16.Key + 1));
        Assert.True(StoreChecker.Run(_node.Database).Ok);
    }

    [Fact]
    public void Concurrent_queries_of_different_datasets_and_subscriptions_never_see_each_others_documents()
    {
        var replicas = new LiteReplicaStore(_node.Database);
        string[] slugs = ["left", "right", "third", "fourth"];
        foreach (var slug in slugs)
        {
            _node.CreateDataset(slug);
            for (var i = 0; i < 20; i++)
            {
                _node.Records.Create(Admin, slug, $"r{i:D2}", Body($$"""{ "from": "{{slug}}", "n": {{i % 3}}, "t": "mot {{slug}}" }"""));
                replicas.ApplyIfNewer(Replica(slug, $"r{i:D2}", 1, $$"""{ "from": "{{slug}}", "t": "mot" }"""));
            }
        }
        var keys = slugs.ToDictionary(s => s, s => _node.DatasetStore.Find(s)!.Key);
        Threads.Run(slugs.Length, t =>
        {
            var slug = slugs[t];
            for (var round = 0; round < 150; round++)
            {
                var sort = (round % 4) switch
                {
                    0 => RecordSort.Default, 1 => new RecordSort(SortKey.Id, Descending: true),
                    2 => new RecordSort(SortKey.DataField, "n"), _ => new RecordSort(SortKey.UpdatedAt, Descending: true),
                };
                var first = _node.Records.List(Admin, slug, new RecordQuery { Sort = sort, Limit = 3, TextTerms = round % 2 == 0 ? ["mot"] : [] });
                var next = _node.Records.List(Admin, slug, new RecordQuery { Sort = sort, Limit = 3, Cursor = first.NextCursor, Filters = round % 3 == 0 ? [new("n", Body("1"))] : [] });
                Assert.All(first.Items.Concat(next.Items), r => Assert.Equal(slug, r.Data.GetProperty("from").GetString()));
                Assert.Equal(3, first.Items.Count);
                Assert.Equal(20, _node.RecordStore.Count(keys[slug]));
                Assert.All(_node.Feed.Since(keys[slug], round % 20, 5), c => Assert.Equal(slug, _node.RecordStore.Get(keys[slug], c.RecordId!)!.Data.GetProperty("from").GetString()));
                Assert.Equal(20, _node.Feed.LastSeq(keys[slug]));
                var page = replicas.List(slug, round % 2 == 0 ? null : $"r{round % 20:D2}", 4, round % 3 == 0 ? "mot" : null);
                Assert.All(page, r => Assert.Equal(slug, r.Data.GetProperty("from").GetString()));
                Assert.Equal(20, replicas.Count(slug));
            }
        });
    }

    /// <summary>The id a cursor carries: the record id alone, never the dataset prefix of the document id.</summary>
    private static string DecodedCursorId(string cursor)
    {
        var b64 = cursor.Replace('-', '+').Replace('_', '/');
        b64 += new string('=', (4 - b64.Length % 4) % 4);
        var doc = BsonSerializer.Deserialize(Convert.FromBase64String(b64));
        return doc["i"].AsString + "|" + (doc["v"].IsString ? doc["v"].AsString : "");
    }

    [Theory]
    [InlineData(SortKey.Id, false, true)]
    [InlineData(SortKey.Id, true, true)]
    [InlineData(SortKey.DataField, false, true)]
    [InlineData(SortKey.CreatedAt, true, false)]
    public void Record_queries_walk_the_dataset_range_of_the_primary_key(SortKey key, bool descending, bool withCursor)
    {
        for (var k = 0; k < 3; k++) _node.CreateDataset($"d{k}");
        for (var i = 0; i < 30; i++)
            foreach (var slug in new[] { "d0", "d1", "d2" })
                _node.Records.Create(Admin, slug, $"r{i:D2}", Body($$"""{ "n": {{i % 4}} }"""));
        var key1 = _node.DatasetStore.Find("d1")!.Key;
        var sort = new RecordSort(key, key == SortKey.DataField ? "n" : null, descending);
        var records = _node.Database.Raw().GetCollection(StoreLayout.Records);
        var first = RecordQueryRunner.Run(records, key1, new RecordQuery { Sort = sort, Limit = 5 }, _node.Database.QueryExpressions, explain: true, out var plan);
        AssertRange(plan!);
        if (withCursor)
        {
            RecordQueryRunner.Run(records, key1, new RecordQuery { Sort = sort, Limit = 5, Cursor = first.NextCursor }, _node.Database.QueryExpressions, explain: true, out plan);
            AssertRange(plan!);
        }
        if (key == SortKey.Id) Assert.Null(plan!["orderBy"].IsNull ? null : plan["orderBy"]); // the index order serves the sort

        static void AssertRange(BsonDocument plan)
        {
            Assert.Equal("$._id", plan["index"]["expr"].AsString);
            Assert.Contains("BETWEEN", plan["index"]["mode"].AsString);
        }
    }

    [Fact]
    public void Change_lookups_walk_the_dataset_range_of_the_primary_key()
    {
        var changes = _node.Database.Raw().GetCollection(StoreLayout.Changes);
        var plan = changes.Query().Where(StoreLayout.ChangesOf(3)).OrderByDescending("_id").Select("_id").Limit(1).GetPlan();
        Assert.Equal("$._id", plan["index"]["expr"].AsString);
        Assert.Contains("BETWEEN", plan["index"]["mode"].AsString);
        Assert.Equal(-1, plan["index"]["order"].AsInt32);
    }

    [Fact]
    public void Replicas_of_each_subscription_stay_apart_and_a_purge_removes_only_its_own()
    {
        var store = new LiteReplicaStore(_node.Database);
        foreach (var sub in new[] { "s1", "s10", "s2" })
            for (var i = 0; i < 5; i++)
                store.ApplyIfNewer(Replica(sub, $"r{i}", 1, $$"""{ "sub": "{{sub}}", "text": "Café {{i}}" }"""));
        Assert.False(store.ApplyIfNewer(Replica("s1", "r1", 1)));
        Assert.True(store.ApplyIfNewer(Replica("s1", "r1", 2, deleted: true)));

        Assert.Equal(["r0", "r2", "r3", "r4"], store.List("s1", null, 10).Select(r => r.RecordId));
        Assert.Equal(["r3", "r4"], store.List("s1", "r2", 10).Select(r => r.RecordId));
        Assert.Equal(["r3", "r4"], store.List("s10", "r2", 10, "CAFÉ").Select(r => r.RecordId));
        Assert.All(store.List("s10", null, 10), r => Assert.Equal("s10", r.Data.GetProperty("sub").GetString()));
        Assert.Equal((4L, 5L, 5L), (store.Count("s1"), store.Count("s10"), store.Count("s2")));
        Assert.Null(store.Get("s1", "r9"));
        Assert.True(store.Get("s1", "r1")!.Deleted);

        store.Purge("s1");
        Assert.Equal((0L, 5L, 5L), (store.Count("s1"), store.Count("s10"), store.Count("s2")));
        Assert.Empty(store.List("s1", null, 10));
        Assert.Null(store.Get("s1", "r0"));
        Assert.Equal(10, _node.Database.Raw().GetCollection(StoreLayout.Replicas).Count());
        Assert.Throws<ArgumentException>(() => store.ApplyIfNewer(Replica("s1/x", "r0", 1)));
    }
}
