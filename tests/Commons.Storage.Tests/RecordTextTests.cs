using Commons.Core.Errors;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// A record whose text is not valid Unicode is refused by the service whoever calls it (the API checks bodies first;
/// the web form's free JSON does not), with the path of the bad text, before the schema or the store reads it.
/// </summary>
public sealed class RecordTextTests : IDisposable
{
    private readonly TestNode _node = new();

    public RecordTextTests()
    {
        _node.CreateDataset("free");
        _node.CreateDataset("typed", """{ "type": "object", "properties": { "name": { "type": "string", "minLength": 1 } } }""");
    }

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData("free", """{ "name": "\ud800" }""", "$.name")]
    [InlineData("typed", """{ "name": "\ud800" }""", "$.name")]
    [InlineData("free", """{ "a": { "\udc00": 1 } }""", "$.a")]
    [InlineData("typed", """{ "list": [1, "x\udbff"] }""", "$.list[1]")]
    public void A_lone_surrogate_is_refused_with_its_path_and_nothing_is_stored(string slug, string json, string path)
    {
        var e = Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, slug, "r1", Body(json)));
        Assert.Equal(ProblemCodes.InvalidUnicode, e.Code);
        Assert.Equal(path, e.Errors.Single().Path);
        Assert.Empty(_node.Records.Changes(Admin, slug, 0, 10).Changes);
    }

    [Fact]
    public void An_update_with_a_lone_surrogate_is_refused_and_the_record_keeps_its_text()
    {
        _node.Records.Create(Admin, "free", "r1", Body("""{ "name": "fine \ud83d\ude00" }"""));
        var e = Assert.Throws<ValidationException>(() => _node.Records.Update(Admin, "free", "r1", Body("""{ "name": "\ud800" }"""), null, null));
        Assert.Equal(ProblemCodes.InvalidUnicode, e.Code);
        Assert.Equal("fine \U0001F600", _node.Records.Get(Admin, "free", "r1").Data.GetProperty("name").GetString());
    }
}
