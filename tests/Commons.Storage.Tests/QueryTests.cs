using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Core.Text;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Record listings: field filters, accent-insensitive search, sorting and keyset cursors.</summary>
public sealed class QueryTests : IDisposable
{
    private readonly TestNode _node = new();

    public QueryTests() => _node.CreateDataset("places");

    public void Dispose() => _node.Dispose();

    private void Add(string id, string json, bool shared = true)
    {
        _node.Records.Create(Admin, "places", id, Body(json), shared);
        _node.Clock.Advance(TimeSpan.FromSeconds(1));
    }

    private void AddPlaces()
    {
        Add("p1", """{ "name": "École des Arts", "city": "Bruxelles", "seats": 30, "accessible": true, "address": { "city": "Ixelles", "zip": "1050" }, "tags": ["Atelier"] }""");
        Add("p2", """{ "name": "Maison de quartier", "city": "Bruxelles", "seats": 12, "accessible": false, "address": { "city": "Saint-Gilles", "zip": "1060" } }""");
        Add("p3", """{ "name": "Buurthuis", "city": "Brussel", "seats": 30.0, "accessible": true, "address": { "city": "Elsene", "zip": "1050" }, "note": "ECOLE de devoirs le mercredi" }""");
        Add("p4", """{ "name": "Café Léon", "city": "Bruxelles", "seats": 45, "accessible": true, "address": { "city": "Ixelles", "zip": "1050" } }""");
        Add("p5", """{ "name": "Salle privée", "city": "Bruxelles", "seats": 8, "accessible": true, "address": { "city": "Ixelles", "zip": "1050" } }""", shared: false);
    }

    private string[] Ids(RecordQuery query) => _node.Records.List(Admin, "places", query).Items.Select(r => r.Id).ToArray();

    private static FieldFilter Where(string path, string json) => new(path, Body(json));

    [Theory]
    [InlineData("city", "\"Bruxelles\"", new[] { "p1", "p2", "p4", "p5" })]
    [InlineData("city", "\"bruxelles\"", new string[0])]
    [InlineData("seats", "30", new[] { "p1", "p3" })]
    [InlineData("seats", "30.0", new[] { "p1", "p3" })]
    [InlineData("seats", "12", new[] { "p2" })]
    [InlineData("accessible", "false", new[] { "p2" })]
    [InlineData("accessible", "true", new[] { "p1", "p3", "p4", "p5" })]
    [InlineData("address.city", "\"Ixelles\"", new[] { "p1", "p4", "p5" })]
    [InlineData("address.zip", "\"1060\"", new[] { "p2" })]
    [InlineData("missing.field", "\"x\"", new string[0])]
    public void Filters_by_field_equality(string path, string value, string[] expected)
    {
        AddPlaces();
        Assert.Equal(expected, Ids(new RecordQuery { Filters = [Where(path, value)] }));
    }

    [Fact]
    public void Filters_combine_with_and()
    {
        AddPlaces();
        Assert.Equal(["p1", "p4", "p5"], Ids(new RecordQuery { Filters = [Where("city", "\"Bruxelles\""), Where("address.zip", "\"1050\"")] }));
        Assert.Equal(["p1", "p4"], Ids(new RecordQuery { Filters = [Where("address.zip", "\"1050\""), Where("city", "\"Bruxelles\"")], IncludeUnshared = false }));
    }

    [Theory]
    [InlineData("ecole", new[] { "p1", "p3" })]
    [InlineData("École", new[] { "p1", "p3" })]
    [InlineData("ÉCOLE", new[] { "p1", "p3" })]
    [InlineData("cafe leon", new[] { "p4" })]
    [InlineData("leon bruxelles", new[] { "p4" })]
    [InlineData("privee", new[] { "p5" })]
    [InlineData("atelier", new[] { "p1" })]
    [InlineData("ixelles", new[] { "p1", "p4", "p5" })]
    [InlineData("1060", new[] { "p2" })]
    [InlineData("ecole quartier", new string[0])]
    [InlineData("arts devoirs", new string[0])]
    public void Text_search_is_accent_and_case_insensitive(string search, string[] expected)
    {
        AddPlaces();
        var terms = search.Split(' ').Select(SearchText.Fold).ToList();
        Assert.Equal(expected, Ids(new RecordQuery { TextTerms = terms }));
    }

    [Fact]
    public void Numbers_are_not_searched_as_text_and_deleted_records_are_not_found()
    {
        AddPlaces();
        Assert.Empty(Ids(new RecordQuery { TextTerms = ["45"] }));
        _node.Records.Delete(Admin, "places", "p1", null);
        Assert.Equal(["p3"], Ids(new RecordQuery { TextTerms = ["ecole"] }));
    }

    [Fact]
    public void Sorts_by_id_created_at_and_data_field_both_ways()
    {
        Add("b", """{ "name": "Zaal", "seats": 20 }""");
        Add("c", """{ "name": "Atelier", "seats": 5 }""");
        Add("a", """{ "name": "Maison", "seats": 12.5 }""");
        Add("d", """{ "name": "Kot" }""");

        Assert.Equal(["a", "b", "c", "d"], Ids(new RecordQuery()));
        Assert.Equal(["d", "c", "b", "a"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.Id, Descending: true) }));
        Assert.Equal(["b", "c", "a", "d"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.CreatedAt) }));
        Assert.Equal(["d", "a", "c", "b"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.CreatedAt, Descending: true) }));
        Assert.Equal(["c", "d", "a", "b"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name") }));
        Assert.Equal(["b", "a", "d", "c"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name", Descending: true) }));
        // a missing value sorts before every number
        Assert.Equal(["d", "c", "a", "b"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.DataField, "seats") }));
        Assert.Equal(["b", "a", "c", "d"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.DataField, "seats", Descending: true) }));

        _node.Records.Update(Admin, "places", "c", Body("""{ "name": "Atelier", "seats": 6 }"""), null, 1);
        Assert.Equal(["c", "d", "a", "b"], Ids(new RecordQuery { Sort = new RecordSort(SortKey.UpdatedAt, Descending: true) }));
        Assert.Equal("c", Ids(new RecordQuery { Sort = new RecordSort(SortKey.Revision, Descending: true) })[0]);
    }

    public static TheoryData<string, bool, int> PagingCases => new()
    {
        { "group", false, 37 },
        { "group", true, 37 },
        { "group", false, 7 },
        { "createdAt", false, 50 },
        { "createdAt", true, 128 },
        { "score", false, 100 },
        { "score", true, 300 },
        { "id", false, 64 },
        { "id", true, 64 },
        { "nested", false, 45 },
        { "label", false, 70 },
        { "label", true, 70 },
    };

    /// <summary>
    /// 1,000 records whose sort values repeat a lot (3 groups, all created in the same instant, or a score shared by
    /// ~100 records each): paging through with the cursor must return each record once, in (value, id) order.
    /// </summary>
    [Theory]
    [MemberData(nameof(PagingCases))]
    public void Cursor_pages_return_every_record_once_in_order_despite_equal_sort_values(string sortBy, bool descending, int pageSize)
    {
        const int total = 1000;
        var random = new Random(12345);
        var expected = new List<(JsonElement Value, string Id)>();
        string[] labels = ["école", "Ecole", "eau", "Été", "zèbre", "Zebra"];
        var values = new Dictionary<string, (int Group, double Score, string Label)>();
        for (var i = 0; i < total; i++)
        {
            var id = $"{random.Next(0, 1_000_000):x5}-{i}";
            var group = random.Next(3);
            var score = random.Next(10) / 2.0;
            var label = labels[random.Next(labels.Length)];
            values[id] = (group, score, label);
            _node.Records.Create(Admin, "places", id, Body($$"""{ "group": "g{{group}}", "score": {{score.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "inner": { "n": {{group}} }, "label": "{{label}}" }"""));
        }
        var sort = sortBy switch
        {
            "group" => new RecordSort(SortKey.DataField, "group", descending),
            "score" => new RecordSort(SortKey.DataField, "score", descending),
            "nested" => new RecordSort(SortKey.DataField, "inner.n", descending),
            "label" => new RecordSort(SortKey.DataField, "label", descending),
            "createdAt" => new RecordSort(SortKey.CreatedAt, Descending: descending),
            _ => new RecordSort(SortKey.Id, Descending: descending),
        };
        IComparable Key(string id) => sortBy switch
        {
            "label" => new OrdinalString(values[id].Label),
            "group" or "nested" => values[id].Group,
            "score" => values[id].Score,
            _ => 0,
        };
        var order = values.Keys.Order(Comparer<string>.Create((a, b) =>
        {
            var c = Key(a).CompareTo(Key(b));
            if (c == 0) c = string.CompareOrdinal(a, b);
            return descending ? -c : c;
        })).ToList();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = _node.Records.List(Admin, "places", new RecordQuery { Sort = sort, Limit = pageSize, Cursor = cursor });
            Assert.InRange(page.Items.Count, 1, pageSize);
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
            Assert.True(++pages <= total, "the cursor never ends");
        } while (cursor is not null);

        Assert.Equal(total, seen.Distinct().Count());
        Assert.Equal(order, seen);
        Assert.Equal((total + pageSize - 1) / pageSize, pages);
    }

    /// <summary>Strings compare by code point, as the store's ordinal collation does.</summary>
    private sealed record OrdinalString(string Value) : IComparable
    {
        public int CompareTo(object? other) => string.CompareOrdinal(Value, ((OrdinalString)other!).Value);
    }

    [Fact]
    public void A_cursor_keeps_its_place_while_records_are_added_and_removed()
    {
        for (var i = 0; i < 30; i++) Add($"r{i:D2}", $$"""{ "g": {{i % 2}} }""");
        var sort = new RecordSort(SortKey.DataField, "g");
        var first = _node.Records.List(Admin, "places", new RecordQuery { Sort = sort, Limit = 10 });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i * 2:D2}"), first.Items.Select(r => r.Id));
        _node.Records.Delete(Admin, "places", "r00", null);   // already seen
        _node.Records.Delete(Admin, "places", "r22", null);   // not seen yet
        Add("r99", """{ "g": 1 }""");                          // after the cursor
        var rest = new List<string>();
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = _node.Records.List(Admin, "places", new RecordQuery { Sort = sort, Limit = 10, Cursor = cursor });
            rest.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        var expected = new[] { "r20", "r24", "r26", "r28" }
            .Concat(Enumerable.Range(0, 15).Select(i => $"r{i * 2 + 1:D2}")).Append("r99");
        Assert.Equal(expected, rest);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("abc")]
    [InlineData("AAAAAAAA")]
    [InlineData("BQAAAAA")]            // an empty BSON document: no value, no id
    [InlineData("DgAAAAJ2AAIAAAB4AAA")] // { v: "x" } without an id
    public void A_bad_cursor_is_a_validation_error(string cursor)
    {
        AddPlaces();
        var e = Assert.Throws<ValidationException>(() => Ids(new RecordQuery { Cursor = cursor, Sort = new RecordSort(SortKey.DataField, "name") }));
        Assert.Equal("cursor", Assert.Single(e.Errors).Path);
        Assert.Throws<ValidationException>(() => Ids(new RecordQuery { Cursor = cursor }));
    }

    [Theory]
    [InlineData("name) OR (1 = 1")]
    [InlineData("a..b")]
    [InlineData("1abc")]
    [InlineData("")]
    [InlineData("na-me")]
    public void Field_paths_that_are_not_dotted_identifiers_are_refused(string path)
    {
        AddPlaces();
        Assert.Throws<ValidationException>(() => Ids(new RecordQuery { Filters = [Where(path, "1")] }));
        Assert.Throws<ValidationException>(() => Ids(new RecordQuery { Sort = new RecordSort(SortKey.DataField, path) }));
    }

    [Fact]
    public void Page_size_is_clamped_to_the_configured_limit()
    {
        for (var i = 0; i < 12; i++) Add($"r{i:D2}", "{}");
        _node.Limits.MaxPageSize = 5;
        var page = _node.Records.List(Admin, "places", new RecordQuery { Limit = 1000 });
        Assert.Equal(5, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        Assert.Single(_node.Records.List(Admin, "places", new RecordQuery { Limit = 0 }).Items);
    }
}
