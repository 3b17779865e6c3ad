using System.Text.Json;
using Commons.Storage.Tests.Support;

namespace Commons.Storage.Tests;

/// <summary>
/// <c>GetMany</c>, the one-query read of a backfill page's records: the same records <c>Get</c> gives one by one — of that
/// dataset only, tombstones included, ids not stored left out.
/// </summary>
public sealed class RecordGetManyTests : IDisposable
{
    private const string Schema = """{"type":"object"}""";
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private static JsonElement Body(string name) => TestNode.Body($$"""{"name":"{{name}}"}""");

    [Fact]
    public void Gives_what_Get_gives_for_each_stored_id_of_the_dataset_only()
    {
        var things = _node.CreateDataset("things", Schema);
        var others = _node.CreateDataset("others", Schema);
        foreach (var id in new[] { "a", "b", "c" }) _node.Records.Create(TestNode.Admin, "things", id, Body(id));
        _node.Records.Create(TestNode.Admin, "others", "d", Body("elsewhere"));
        _node.Records.Update(TestNode.Admin, "things", "b", Body("b2"), null, null);
        _node.Records.Delete(TestNode.Admin, "things", "c", null);

        var many = _node.RecordStore.GetMany(things.Key, ["c", "b", "d", "missing", "b"]).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

        Assert.Equal(["b", "c"], many.Select(r => r.Id));
        foreach (var record in many)
        {
            var one = _node.RecordStore.Get(things.Key, record.Id)!;
            Assert.Equal((one.Revision, one.Seq, one.Deleted, one.UpdatedAt), (record.Revision, record.Seq, record.Deleted, record.UpdatedAt));
        }
        Assert.True(many[1].Deleted);
        Assert.Equal("b2", many[0].Data.GetProperty("name").GetString());
        Assert.Empty(_node.RecordStore.GetMany(others.Key, ["a"]));
        Assert.Empty(_node.RecordStore.GetMany(things.Key, []));
    }
}
