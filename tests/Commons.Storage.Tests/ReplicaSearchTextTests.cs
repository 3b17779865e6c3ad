using System.Text.Json;
using Commons.Core.Federation;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Storage.Tests;

/// <summary>
/// A replica is found by the words of its body (folded as a record's are), whether it came one at a time or in a backfill
/// page: the store makes the body's BSON and its search text in one walk, and both must describe the same body.
/// </summary>
public sealed class ReplicaSearchTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("commons-replica-text-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Replicas_stored_singly_or_by_page_are_found_by_the_words_of_their_own_body_only()
    {
        using var db = CommonsDatabase.Open(_dir);
        var store = new LiteReplicaStore(db);
        new LiteSubscriptionStore(db).Upsert(new Subscription
        {
            Id = "sub", DatasetActor = "http://a/datasets/x", Inbox = "http://a/datasets/x/inbox", FollowActivityId = "http://b/actor#follows/1",
            State = SubscriptionState.Accepted, RequestedBy = "admin", Since = DateTimeOffset.UtcNow,
        });
        store.ApplyIfNewer(Replica("r1", """{"title":"Vélo cargo","tags":["Atelier","prêt"],"n":3}"""));
        var page = new ReplicaPage("sub", "http://b/actor#follows/1",
            [Replica("r2", """{"title":"Perceuse","place":{"city":"Liège"}}"""), Replica("r3", """{"title":"Échelle"}""")], 3, true, DateTimeOffset.UtcNow);
        Assert.Equal(2, store.ApplyPage(page));
        store.ApplyIfNewer(Replica("r3", null, revision: 2));

        Assert.Equal(["r1"], Ids(store.List("sub", null, 10, "velo")));
        Assert.Equal(["r1"], Ids(store.List("sub", null, 10, "ATELIER")));
        Assert.Equal(["r2"], Ids(store.List("sub", null, 10, "liege")));
        Assert.Empty(store.List("sub", null, 10, "echelle"));   // deleted since: no text kept
        Assert.Empty(store.List("sub", null, 10, "perceuse liege cargo"));
        Assert.Equal(["r1", "r2"], Ids(store.List("sub", null, 10)));
    }

    private static List<string> Ids(IEnumerable<ReplicaRecord> replicas) => replicas.Select(r => r.RecordId).ToList();

    private static ReplicaRecord Replica(string id, string? json, long revision = 1) => new()
    {
        SubscriptionId = "sub", RecordId = id, ObjectUri = $"http://a/datasets/x/records/{id}", Revision = revision,
        Deleted = json is null, Data = json is null ? default : JsonDocument.Parse(json).RootElement, ReceivedAt = DateTimeOffset.UtcNow,
    };
}
