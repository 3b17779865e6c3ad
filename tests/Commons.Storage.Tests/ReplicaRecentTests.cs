using System.Text.Json;
using Commons.Core.Federation;
using Commons.Storage.Federation;

namespace Commons.Storage.Tests;

/// <summary>The latest changes received from peers (the dashboard), and the purge count a subscription keeps.</summary>
public sealed class ReplicaRecentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("commons-replica-recent-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Recent_changes_come_newest_first_across_subscriptions_deletions_included()
    {
        using var db = CommonsDatabase.Open(_dir);
        var store = new LiteReplicaStore(db);
        using var data = JsonDocument.Parse("""{"name":"x"}""");
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        ReplicaRecord Make(string sub, string id, int minutes, long rev = 1, bool deleted = false) => new()
        {
            SubscriptionId = sub, RecordId = id, ObjectUri = $"http://a/{sub}/records/{id}", Revision = rev, Data = data.RootElement,
            Deleted = deleted, ReceivedAt = t0.AddMinutes(minutes),
        };
        store.ApplyIfNewer(Make("suba", "r1", 1));
        store.ApplyIfNewer(Make("subb", "r1", 3));
        store.ApplyIfNewer(Make("suba", "r2", 2));
        store.ApplyIfNewer(Make("suba", "r1", 5, rev: 2, deleted: true));

        var recent = store.RecentlyReceived(3);
        Assert.Equal([("suba", "r1"), ("subb", "r1"), ("suba", "r2")], recent.Select(r => (r.SubscriptionId, r.RecordId)).ToList());
        Assert.True(recent[0].Deleted);
        Assert.Equal(t0.AddMinutes(5), recent[0].ReceivedAt);

        store.ApplyIfNewer(Make("suba", "r3", 4));
        Assert.Equal(["r1", "r3", "r2"], store.RecentlyReceived(3, "suba").Select(r => r.RecordId).ToList());
        var ofB = store.RecentlyReceived(10, "subb");
        Assert.Equal("r1", Assert.Single(ofB).RecordId);
        Assert.Empty(store.RecentlyReceived(0));
    }

    [Fact]
    public void A_subscription_keeps_how_many_records_the_owner_withdrawal_deleted()
    {
        using var db = CommonsDatabase.Open(_dir);
        var store = new LiteSubscriptionStore(db);
        var s = new Subscription
        {
            Id = "s1", DatasetActor = "http://peer/datasets/a", Inbox = "http://peer/datasets/a/inbox", FollowActivityId = "http://us/f/1",
            RequestedBy = "admin", State = SubscriptionState.Accepted,
        };
        store.Upsert(s);
        Assert.Null(store.Find("s1")!.PurgedRecords);
        store.Upsert(s with { State = SubscriptionState.Ended, PurgedRecords = 42 });
        Assert.Equal(42, store.Find("s1")!.PurgedRecords);
    }
}
