using Commons.Core.Records;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// A listing's parsed expressions are kept per query shape and lent to one listing at a time
/// (<see cref="RecordQueryExpressions"/>): they read their parameters from the document they were parsed with, so two
/// listings sharing an instance would page with each other's cursors.
/// </summary>
public sealed class QueryExpressionReuseTests : IDisposable
{
    private const string Schema = """{ "type": "object", "properties": { "name": { "type": "string" }, "n": { "type": "integer" } } }""";

    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void A_shape_is_lent_to_one_listing_at_a_time_and_reused_once_given_back()
    {
        var pool = new RecordQueryExpressionPool();
        string[] terms = ["$.del = false", "$.data.name = @p0"];
        pool.Take(terms, "$._id", null).Return();
        var first = pool.Take(terms, "$._id", null);
        var second = pool.Take(terms, "$._id", null);

        Assert.NotSame(first, second);
        Assert.NotSame(first.Args, second.Args);
        second.Return();
        Assert.Same(second, pool.Take(terms, "$._id", null));
    }

    [Fact]
    public void Past_its_limit_a_pool_keeps_no_new_shape_and_still_gives_back_the_shapes_it_keeps()
    {
        var pool = new RecordQueryExpressionPool(maxShapes: 2);
        foreach (var field in new[] { "a", "b", "c" }) pool.Take(["$.data." + field + " = @p0"], "$._id", null).Return();
        Assert.Equal(2, pool.ShapeCount);

        var kept = pool.Take(["$.data.b = @p0"], "$._id", null);
        kept.Return();
        Assert.Same(kept, pool.Take(["$.data.b = @p0"], "$._id", null));
        var notKept = pool.Take(["$.data.c = @p0"], "$._id", null);
        notKept.Return();
        Assert.NotSame(notKept, pool.Take(["$.data.c = @p0"], "$._id", null));
    }

    [Fact]
    public void Listings_of_one_shape_running_at_once_each_page_with_their_own_cursor()
    {
        var key = _node.CreateDataset("places", Schema).Key;
        for (var i = 0; i < 60; i++) _node.Records.Create(Admin, "places", $"r{i:D2}", Body($$"""{ "name": "name {{(i * 7) % 60:D2}}", "n": {{i % 3}} }"""));
        var queries = new List<RecordQuery>();
        foreach (var desc in new[] { false, true })
        {
            // Every page of the listing sorted by name (through its sort index), each one the query its cursor makes.
            var query = new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name", desc), Limit = 4 };
            do
            {
                queries.Add(query);
                query = query with { Cursor = _node.Records.List(Admin, "places", query).NextCursor };
            } while (query.Cursor is not null);
        }
        var expected = queries.Select(q => Ids(_node.Records.List(Admin, "places", q))).ToList();

        // Outside the store's gate (LiteDB itself takes concurrent reads), so that the listings do overlap.
        var records = _node.Database.Raw().GetCollection(StoreLayout.Records);
        var wrong = 0;
        Parallel.For(0, 8 * queries.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var n = i % queries.Count;
            if (Ids(RecordQueryRunner.Run(records, key, queries[n], _node.Database.QueryExpressions)) != expected[n]) Interlocked.Increment(ref wrong);
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void Filters_and_search_terms_keep_their_values_when_the_shape_is_reused()
    {
        _node.CreateDataset("places", Schema);
        for (var i = 0; i < 12; i++) _node.Records.Create(Admin, "places", $"r{i:D2}", Body($$"""{ "name": "name {{i}}", "n": {{i % 3}} }"""));

        for (var round = 0; round < 3; round++)
            for (var n = 0; n < 3; n++)
            {
                var byFilter = _node.Records.List(Admin, "places", new RecordQuery { Filters = [new FieldFilter("n", Body(n.ToString()))], Limit = 50 });
                Assert.Equal(Enumerable.Range(0, 12).Where(i => i % 3 == n).Select(i => $"r{i:D2}"), byFilter.Items.Select(r => r.Id));
                var bySearch = _node.Records.List(Admin, "places", new RecordQuery { TextTerms = [$"name {n + 10}".Split(' ')[1]], Limit = 50 });
                Assert.Equal(n + 10 < 12 ? [$"r{n + 10}"] : Array.Empty<string>(), bySearch.Items.Select(r => r.Id));
            }
    }

    private static string Ids(RecordPage page) => string.Join(",", page.Items.Select(r => r.Id)) + "|" + page.NextCursor;
}
