using System.Text.Json;
using Commons.Core.Text;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// A record written one at a time (create, update) has its body converted to BSON and its search text collected in one
/// walk of the JSON. What is stored must be what the two separate conversions give: the folded text of every string
/// value in document order (names, numbers and literals left out), and the same BSON; a tombstone keeps neither.
/// </summary>
public sealed class SingleWriteStoredFormTests : IDisposable
{
    private const string Body1 = """
        { "title": "École \u00e9t\u00C9 Straße", "n": 12, "ok": true, "none": null,
          "tags": ["Ça", { "deep": "ÅNGSTRÖM" }, 3.5, ["x\ty"]], "escaped": "quote \" back \\ slash", "emoji": "\ud83d\ude00 Ü" }
        """;

    private readonly TestNode _node = new();

    public SingleWriteStoredFormTests() => _node.CreateDataset("free");

    public void Dispose() => _node.Dispose();

    private BsonDocument Stored(string id) => _node.Database.Raw().GetCollection(StoreLayout.Records)
        .FindById(StoreLayout.RecordDocumentId(_node.Datasets.Get(Admin, "free").Key, id));

    private static void AssertStoredForm(JsonElement body, BsonDocument doc)
    {
        Assert.Equal(SearchText.FromJson(body), doc["txt"].AsString);
        Assert.Equal(JsonBson.ToBson(body), doc["data"]);
    }

    [Fact]
    public void A_created_record_stores_the_text_and_bson_the_separate_conversions_give()
    {
        var body = Body(Body1);
        _node.Records.Create(Admin, "free", "r1", body);
        AssertStoredForm(body, Stored("r1"));
    }

    [Fact]
    public void A_record_created_under_a_generated_id_stores_the_same_form()
    {
        var body = Body(Body1);
        var (record, _) = _node.Records.Create(Admin, "free", null, body);
        AssertStoredForm(body, Stored(record.Id));
    }

    [Fact]
    public void An_updated_record_stores_the_new_form_and_a_tombstone_none()
    {
        _node.Records.Create(Admin, "free", "r1", Body("""{ "a": "first" }"""));
        var next = Body("""{ "a": "Zweite Änderung", "b": ["ÉTÉ", 1] }""");
        _node.Records.Update(Admin, "free", "r1", next, null, null);
        AssertStoredForm(next, Stored("r1"));

        _node.Records.Delete(Admin, "free", "r1", null);
        var tombstone = Stored("r1");
        Assert.True(tombstone["del"].AsBoolean);
        Assert.True(tombstone["txt"].IsNull);
        Assert.True(tombstone["data"].IsNull);
    }
}
