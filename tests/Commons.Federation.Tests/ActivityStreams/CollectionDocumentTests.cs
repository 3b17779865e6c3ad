using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class CollectionDocumentTests
{
    [Fact]
    public void Collection_and_pages()
    {
        var followers = Uris.DatasetFollowers("offers");
        var c = CollectionDocuments.OrderedCollection(followers, 3, ActivityUris.Page(followers, "1"));
        Assert.Equal("OrderedCollection", (string?)c["type"]);
        Assert.Equal(3L, (long)c["totalItems"]!);
        Assert.Equal(followers + "?page=1", (string?)c["first"]);

        var page = CollectionDocuments.OrderedCollectionPage(followers + "?page=1", followers, ["https://a.example/actor", "https://b.example/actor"], followers + "?page=2");
        Assert.Equal("OrderedCollectionPage", (string?)page["type"]);
        Assert.Equal(followers, (string?)page["partOf"]);
        Assert.Equal("""["https://a.example/actor","https://b.example/actor"]""", page["orderedItems"]!.ToJsonString());
        Assert.Equal(followers + "?page=2", (string?)page["next"]);
        Assert.False(page.ContainsKey("prev"));
    }

    [Fact]
    public void Count_only_collection_has_no_pages()
    {
        var c = CollectionDocuments.OrderedCollection(Uris.DatasetFollowers("offers"), 12, first: null);
        Assert.False(c.ContainsKey("first"));
    }

    [Fact]
    public void Activity_pages_drop_embedded_contexts_and_leave_the_items_alone()
    {
        var d = Offers();
        var create = DatasetActivities.Create(d, Change(1, ChangeKind.Create, "r1"), Record("r1", """{"name":"x"}"""), Uris);
        var outbox = Uris.DatasetOutbox("offers");
        var page = CollectionDocuments.OrderedCollectionPage(outbox + "?page=1", outbox, [create], next: null, prev: outbox + "?page=0");
        Assert.False(page["orderedItems"]![0]!.AsObject().ContainsKey("@context"));
        Assert.True(create.ContainsKey("@context"));
        Assert.Equal(outbox + "?page=0", (string?)page["prev"]);
    }
}
