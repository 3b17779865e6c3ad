using Commons.Core.Records;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// Listings sorted by a data field through its sort index (<see cref="RecordSortIndexes"/>): the index is walked for one
/// dataset's range and stops after the page, and every page equals what the same query gives without the index, through
/// writes, deletes, ties, missing values, long strings, both directions and a restored backup.
/// </summary>
public sealed class SortIndexTests : IDisposable
{
    private const string Typed = """
        { "type": "object", "properties": {
            "name": { "type": ["string", "null"] }, "seats": { "type": ["number", "null"] }, "open": { "type": "boolean" },
            "tags": { "type": "array" }, "address": { "type": "object", "properties": { "city": { "type": "string" } } } } }
        """;

    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private LiteDatabase Db => _node.Database.Raw();

    private List<string> SortIndexNames() => _node.Database.Read(() => Db.GetCollection("$indexes")
        .Find(Query.EQ("collection", StoreLayout.Records)).Select(d => d["name"].AsString).Where(n => n.StartsWith("sort_")).ToList());

    /// <summary>Every id of a listing, page by page through the cursors.</summary>
    private List<string> All(string slug, RecordSort sort, int pageSize)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = _node.Records.List(Admin, slug, new RecordQuery { Sort = sort, Limit = pageSize, Cursor = cursor });
            ids.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        } while (cursor is not null);
        return ids;
    }

    private static string Body(int i)
    {
        var name = (i % 7) switch
        {
            0 => "\"Atelier\"",
            1 => "\"atelier\"",
            2 => "\"École " + (i % 3) + "\"",
            3 => "\"" + new string('z', 200) + i + "\"", // longer than the key: ties on the first 150 characters, then the id
            4 => "null",
            5 => "\"Buurthuis " + i + "\"",
            _ => "\"\"",
        };
        var seats = (i % 5) switch { 0 => "null", 1 => "12", 2 => "12.0", 3 => (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture), _ => "-3" };
        var missing = i % 11 == 0 ? "" : $$""", "address": { "city": "{{(i % 4 == 0 ? "Ixelles" : "Gent")}}" }""";
        return $$"""{ "name": {{name}}, "seats": {{seats}}, "open": {{(i % 2 == 0 ? "true" : "false")}}{{missing}} }""";
    }

    private void Fill(string slug, int count)
    {
        for (var i = 0; i < count; i++) _node.Records.Create(Admin, slug, $"r{(i * 37) % count:D4}", TestNode.Body(Body(i)));
    }

    public static TheoryData<string, bool, int> Cases => new()
    {
        { "name", false, 7 }, { "name", true, 7 }, { "seats", false, 10 }, { "seats", true, 3 },
        { "open", false, 25 }, { "address.city", true, 6 }, { "address.city", false, 50 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pages_through_the_index_equal_the_pages_without_it(string path, bool descending, int pageSize)
    {
        _node.CreateDataset("plain"); // no schema: its listing never creates an index
        _node.CreateDataset("typed", Typed);
        _node.CreateDataset("other", Typed);
        Fill("other", 150);
        Fill("plain", 300);
        Fill("typed", 300);
        var sort = new RecordSort(SortKey.DataField, path, descending);

        var without = All("plain", sort, pageSize);
        Assert.Empty(SortIndexNames());
        var through = All("typed", sort, pageSize);
        Assert.Equal([RecordSortIndexes.IndexName(path)], SortIndexNames());
        Assert.Equal(without, through);
        Assert.Equal(300, through.Distinct().Count());
        Assert.Equal(without, All("plain", sort, pageSize)); // the plain dataset now walks the shared index too
    }

    [Fact]
    public void The_sorted_page_walks_the_sort_index_of_one_dataset_and_needs_no_ordering()
    {
        _node.CreateDataset("a", Typed);
        _node.CreateDataset("b", Typed);
        Fill("a", 60);
        Fill("b", 60);
        var key = _node.DatasetStore.Find("b")!.Key;
        var first = _node.Records.List(Admin, "b", new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name"), Limit = 5 });
        foreach (var cursor in new[] { null, first.NextCursor })
            foreach (var desc in new[] { false, true })
            {
                var query = new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name", desc), Limit = 5, Cursor = cursor };
                var page = _node.Database.Read(() => RecordQueryRunner.Run(Db.GetCollection(StoreLayout.Records), key, query, _node.Database.QueryExpressions, explain: true, out var plan) is var p
                    ? (p, plan!) : default);
                Assert.Equal(RecordSortIndexes.IndexName("name"), page.Item2["index"]["name"].AsString);
                Assert.Contains("BETWEEN", page.Item2["index"]["mode"].AsString);
                Assert.True(page.Item2["orderBy"].IsNull, page.Item2.ToString());
                Assert.Equal(desc && cursor is not null ? 4 : 5, page.p.Items.Count); // descending from the 5th: the 4 before it
            }
    }

    [Fact]
    public void The_index_follows_updates_and_deletes()
    {
        _node.CreateDataset("typed", Typed);
        _node.CreateDataset("plain");
        Fill("typed", 40);
        Fill("plain", 40);
        var sort = new RecordSort(SortKey.DataField, "name");
        Assert.Equal(All("plain", sort, 9), All("typed", sort, 9));
        foreach (var slug in new[] { "typed", "plain" })
        {
            _node.Records.Update(Admin, slug, "r0005", TestNode.Body("""{ "name": "0 first now" }"""), null, null);
            _node.Records.Update(Admin, slug, "r0010", TestNode.Body("""{ "name": "~ last now" }"""), null, null);
            _node.Records.Delete(Admin, slug, "r0020", null);
        }
        var after = All("typed", sort, 9);
        Assert.Equal(All("plain", sort, 9), after);
        Assert.True(after.IndexOf("r0005") < after.IndexOf("r0000"), "'0 first now' sorts before 'Atelier'");
        Assert.DoesNotContain("r0020", after);
        Assert.Equal(39, after.Count);
    }

    [Theory]
    [InlineData("tags")] // an array
    [InlineData("address")] // an object
    [InlineData("nowhere")] // not in the schema
    [InlineData("name.inner")] // under a string
    public void No_index_for_a_field_the_schema_does_not_declare_scalar(string path)
    {
        _node.CreateDataset("typed", Typed);
        Fill("typed", 20);
        Assert.Equal(20, All("typed", new RecordSort(SortKey.DataField, path), 7).Count);
        Assert.Empty(SortIndexNames());
    }

    [Fact]
    public void Indexes_stop_at_the_cap()
    {
        var properties = string.Join(", ", Enumerable.Range(0, RecordSortIndexes.MaxIndexes + 3).Select(i => $"\"f{i}\": {{ \"type\": \"integer\" }}"));
        _node.CreateDataset("wide", $$"""{ "type": "object", "properties": { {{properties}} } }""");
        _node.Records.Create(Admin, "wide", "one", TestNode.Body("""{ "f0": 1 }"""));
        for (var i = 0; i < RecordSortIndexes.MaxIndexes + 3; i++)
            Assert.Single(All("wide", new RecordSort(SortKey.DataField, $"f{i}"), 5));
        Assert.Equal(RecordSortIndexes.MaxIndexes, SortIndexNames().Count);
    }

    [Fact]
    public void A_restored_store_builds_its_index_again_and_pages_the_same()
    {
        using var temp = new TempFolder();
        var sort = new RecordSort(SortKey.DataField, "seats", Descending: true);
        List<string> before;
        var file = temp.Sub("b.cnbak");
        using (var live = new TestNode(temp.Sub("live")))
        {
            live.CreateDataset("typed", Typed);
            for (var i = 0; i < 50; i++) live.Records.Create(Admin, "typed", $"r{i:D3}", TestNode.Body(Body(i)));
            before = live.Records.List(Admin, "typed", new RecordQuery { Sort = sort, Limit = 50 }).Items.Select(r => r.Id).ToList();
            Backup.Write(live.Database, file, "atelier", DateTimeOffset.UnixEpoch);
        }
        Backup.Restore(file, temp.Sub("restored"), false, DateTimeOffset.UnixEpoch);
        using var restored = new TestNode(temp.Sub("restored"));
        Assert.Equal(before, restored.Records.List(Admin, "typed", new RecordQuery { Sort = sort, Limit = 50 }).Items.Select(r => r.Id));
        Assert.Contains(RecordSortIndexes.IndexName("seats"), restored.Database.Read(() => restored.Database.Raw().GetCollection("$indexes")
            .Find(Query.EQ("collection", StoreLayout.Records)).Select(d => d["name"].AsString).ToList()));
    }

    [Theory]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "string" } } }""", "a", true)]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": ["integer", "null"] } } }""", "a", true)]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "null" } } }""", "a", false)]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": ["string", "object"] } } }""", "a", false)]
    [InlineData("""{ "type": "object", "properties": { "a": { "properties": { "b": { "type": "number" } } } } }""", "a.b", true)]
    [InlineData("""{ "type": "object", "properties": { "a": { "enum": ["x"] } } }""", "a", false)]
    [InlineData("""not json""", "a", false)]
    public void Sortable_fields_are_the_schema_s_scalar_properties(string schema, string path, bool sortable) =>
        Assert.Equal(sortable, RecordSortIndexes.IsSortableField(schema, path));
}
