using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// Dataset documents a former version could store and today's refuses: a schema with a $ref cycle or a catastrophic
/// pattern, a grant without a role. <c>check</c> reports each; the store and record writes survive them.
/// </summary>
public sealed class DatasetCheckTests : IDisposable
{
    private const string RecursiveSchema = """{ "type": "object", "$defs": { "a": { "$ref": "#/$defs/a" } }, "properties": { "x": { "$ref": "#/$defs/a" } } }""";
    private readonly TestNode _node = new();

    public DatasetCheckTests()
    {
        _node.AddMember("ana");
        _node.CreateDataset("rooms", """{ "type": "object", "properties": { "name": { "type": "string" } } }""");
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));
    }

    public void Dispose() => _node.Dispose();

    private ILiteCollection<BsonDocument> DatasetDocs => _node.Database.Raw().GetCollection(LiteDatasetStore.Collection);

    /// <summary>Changes the stored dataset document directly, as a former version (or a hand) could have.</summary>
    private void Tamper(Action<BsonDocument> change)
    {
        var doc = DatasetDocs.FindById("rooms");
        change(doc);
        Assert.True(DatasetDocs.Update(doc));
    }

    [Fact]
    public void A_stored_recursive_schema_is_reported_and_fails_a_record_write_cleanly()
    {
        Tamper(d => d["schema"] = RecursiveSchema);
        var problem = Assert.Single(StoreChecker.Run(_node.Database).Problems);
        Assert.Contains("rooms: its schema would be refused today at schema['$defs'].a", problem);
        Assert.Contains("recursive", problem);

        var e = Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", "b", Body("""{ "x": 1 }""")));
        Assert.Contains("without end", Assert.Single(e.Errors).Message);
        _node.Records.Create(Admin, "rooms", "c", Body("""{ "name": "C" }"""));
    }

    [Fact]
    public void A_stored_record_that_a_recursive_schema_cannot_finish_is_reported()
    {
        Tamper(d => d["schema"] = RecursiveSchema);
        var doc = _node.Database.Raw().GetCollection(StoreLayout.Records).FindById(StoreLayout.RecordDocumentId(_node.DatasetStore.Find("rooms")!.Key, "a"));
        doc["data"] = new BsonDocument { ["x"] = 1 };
        _node.Database.Raw().GetCollection(StoreLayout.Records).Update(doc);
        Assert.Contains(StoreChecker.Run(_node.Database).Problems, p => p.Contains("record a fails the schema at $.x") && p.Contains("without end"));
    }

    [Fact]
    public void A_stored_pattern_beyond_the_bounds_is_reported()
    {
        Tamper(d => d["schema"] = $$"""{ "type": "object", "properties": { "x": { "type": "string", "pattern": "{{new string('a', 1_001)}}" } } }""");
        Assert.Contains("at schema.properties.x.pattern", Assert.Single(StoreChecker.Run(_node.Database).Problems));
    }

    [Theory]
    [InlineData(null)]   // the issue: PUT .../grants/ana with {} stored the role as 0
    [InlineData(0)]
    [InlineData(9)]
    public void A_grant_without_a_valid_role_is_reported_and_left_out_of_the_dataset(int? role)
    {
        Tamper(d =>
        {
            var grant = new BsonDocument { ["user"] = "ana" };
            if (role is { } r) grant["role"] = r;
            d["grants"] = new BsonArray { grant, new BsonDocument { ["user"] = "root", ["role"] = (int)GrantRole.Steward } };
        });
        Assert.Contains("rooms: the grant", Assert.Single(StoreChecker.Run(_node.Database).Problems));
        var dataset = _node.DatasetStore.Find("rooms")!;
        Assert.Equal([new DatasetGrant("root", GrantRole.Steward)], dataset.Grants);
        Assert.Single(_node.Datasets.ListVisible(Admin));
    }

    [Fact]
    public void Grants_that_are_not_a_list_are_reported_and_read_as_none()
    {
        Tamper(d => d["grants"] = "ana");
        Assert.Contains("rooms: its grants are not a list", Assert.Single(StoreChecker.Run(_node.Database).Problems));
        Assert.Empty(_node.DatasetStore.Find("rooms")!.Grants);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void A_grant_without_a_known_role_is_refused(int role)
    {
        var e = Assert.Throws<ValidationException>(() => _node.Datasets.SetGrant(Admin, "rooms", "ana", (GrantRole)role));
        Assert.Equal("role", Assert.Single(e.Errors).Path);
        Assert.Empty(_node.DatasetStore.Find("rooms")!.Grants);
        Assert.True(StoreChecker.Run(_node.Database).Ok);
    }

    [Fact]
    public void A_recursive_schema_is_refused_when_a_dataset_is_changed()
    {
        var e = Assert.Throws<ValidationException>(() => _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Schema = RecursiveSchema }));
        Assert.Equal("schema['$defs'].a", Assert.Single(e.Errors).Path);
        Assert.DoesNotContain("$defs", _node.DatasetStore.Find("rooms")!.Schema);
    }
}
