using Commons.Core.Federation;
using static Commons.Storage.Tests.Contract.Samples;

namespace Commons.Storage.Tests.Contract;

/// <summary>Followers per dataset, found by actor and by the inbox deliveries go to.</summary>
public abstract class FollowerStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IFollowerStore Store => Backend.Get<IFollowerStore>();

    [Fact]
    public void Followers_are_kept_whole_per_dataset_and_found_by_state_and_delivery_inbox()
    {
        Store.Upsert(Follower("rooms", "https://a.example/x"));
        Store.Upsert(Follower("rooms", "https://b.example/y", FollowerState.Pending) with { SharedInbox = null });
        Store.Upsert(Follower("halls", "https://a.example/x"));
        Backend.Reopen();
        Assert.Equal(Follower("rooms", "https://a.example/x"), Store.Find("rooms", "https://a.example/x"));
        Assert.Null(Store.Find("rooms", "https://c.example/z"));
        Assert.Equal(2, Store.List("rooms").Count);
        Assert.Equal(["https://b.example/y"], Store.List("rooms", FollowerState.Pending).Select(f => f.ActorUri));
        Assert.Equal(2, Store.WithInbox("https://peer.example/inbox").Count);
        Assert.Single(Store.WithInbox("https://b.example/y/inbox"));
    }

    [Fact]
    public void An_upsert_replaces_and_a_removal_says_whether_there_was_one()
    {
        Store.Upsert(Follower("rooms", "https://a.example/x", FollowerState.Pending));
        Store.Upsert(Follower("rooms", "https://a.example/x", FollowerState.Accepted));
        Assert.Equal(FollowerState.Accepted, Assert.Single(Store.List("rooms")).State);
        Assert.True(Store.Remove("rooms", "https://a.example/x"));
        Assert.False(Store.Remove("rooms", "https://a.example/x"));
        Assert.Empty(Store.List("rooms"));
    }
}

/// <summary>Subscriptions to other nodes' datasets, found by id and by the followed actor.</summary>
public abstract class SubscriptionStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private ISubscriptionStore Store => Backend.Get<ISubscriptionStore>();

    [Fact]
    public void A_subscription_is_kept_whole_and_found_by_id_and_actor()
    {
        Store.Upsert(Subscription("s1", "https://peer.example/datasets/tools"));
        Store.Upsert(Subscription("s2", "https://peer.example/datasets/rooms") with { PurgedRecords = 4, Handle = null });
        Backend.Reopen();
        Assert.Equal(Subscription("s1", "https://peer.example/datasets/tools"), Store.Find("s1"));
        Assert.Equal("s2", Store.FindByActor("https://peer.example/datasets/rooms")!.Id);
        Assert.Equal(4, Store.Find("s2")!.PurgedRecords);
        Assert.Null(Store.FindByActor("https://peer.example/datasets/none"));
        Assert.Equal(2, Store.List().Count);
        Store.Remove("s1");
        Assert.Null(Store.Find("s1"));
    }

    [Fact]
    public void A_subscription_keeps_the_origins_schema_display_and_description()
    {
        var s = Subscription("s1", "https://peer.example/datasets/tools") with
        {
            Schema = """{"type":"object","properties":{"nom":{"type":"string"}}}""", TitleField = "nom", Columns = ["commune", "places"],
            DescriptionMap = new("Salles à louer", null, "Rooms to rent"), Description = "Rooms to rent",
        };
        Store.Upsert(s);
        Backend.Reopen();
        var kept = Store.Find("s1")!;
        Assert.Equal(["commune", "places"], kept.Columns);
        Assert.Equal(s with { Columns = kept.Columns }, kept);

        Store.Upsert(kept with { Schema = null, TitleField = null, Columns = [], DescriptionMap = null, Description = null });
        Assert.Equal(Subscription("s1", "https://peer.example/datasets/tools"), Store.Find("s1"));
    }

    [Fact]
    public void A_subscription_keeps_how_many_records_the_owner_withdrawal_deleted()
    {
        var s = Subscription("s1", "http://peer/datasets/a") with { PurgedRecords = null };
        Store.Upsert(s);
        Assert.Null(Store.Find("s1")!.PurgedRecords);
        Store.Upsert(s with { State = SubscriptionState.Ended, PurgedRecords = 42 });
        Assert.Equal(42, Store.Find("s1")!.PurgedRecords);
    }
}

/// <summary>The durable delivery queue: due items in time, dead letters apart, fan-out cursors moving with their enqueues.</summary>
public abstract class DeliveryQueueContract(StoreBackend backend) : StoreContract(backend)
{
    private IDeliveryQueue Store => Backend.Get<IDeliveryQueue>();

    [Fact]
    public void Items_are_due_when_their_time_comes_and_leave_when_completed()
    {
        Store.Enqueue([Delivery("d1", At), Delivery("d2", At.AddMinutes(10))]);
        Backend.Reopen();
        Assert.Equal(["d1"], Store.Due(At, 10).Select(d => d.Id));
        Assert.Equal(2, Store.Due(At.AddMinutes(10), 10).Count);
        Assert.Single(Store.Due(At.AddMinutes(10), 1));
        Assert.Equal(Delivery("d1", At), Store.Find("d1"));
        Store.Complete("d1");
        Assert.Null(Store.Find("d1"));
        Assert.Equal(1, Store.CountPending());
    }

    [Fact]
    public void Dead_letters_are_apart_counted_and_discarded_only_when_dead()
    {
        Store.Enqueue([Delivery("d1", At), Delivery("d2", At), Delivery("d3", At)]);
        Store.Update(Delivery("d1", At) with { Dead = true, Attempts = 9, LastError = "410" });
        Store.Update(Delivery("d2", At.AddMinutes(1)) with { Attempts = 2 });
        Assert.Equal((2L, 1L, 1L), (Store.CountPending(), Store.CountDead(), Store.CountRetrying()));
        Assert.DoesNotContain(Store.Due(At.AddDays(1), 10), d => d.Dead);
        Assert.Equal(["d1"], Store.List(dead: true, 10).Select(d => d.Id));
        Assert.Equal(["d2", "d3"], Store.Page(dead: false, 0, 10).Select(d => d.Id));
        Assert.Equal(["d3"], Store.Page(dead: false, 1, 10).Select(d => d.Id));
        Assert.False(Store.Discard("d2"));
        Assert.True(Store.Discard("d1"));
        Assert.Equal(0, Store.CountDead());
    }

    [Fact]
    public void Bringing_a_peer_forward_makes_its_waiting_items_due_now_and_no_others()
    {
        Store.Enqueue([Delivery("d1", At.AddHours(1), "https://peer.example/inbox"), Delivery("d2", At.AddHours(1), "https://other.example/inbox")]);
        Assert.Equal(1, Store.BringForward("PEER.example", At));
        Assert.Equal(["d1"], Store.Due(At, 10).Select(d => d.Id));
    }

    [Fact]
    public void A_fan_out_cursor_moves_with_its_enqueued_items()
    {
        Assert.Equal(0, Store.FanOutCursor("rooms"));
        Store.EnqueueFanOut("rooms", 7, [Delivery("d1", At)]);
        Backend.Reopen();
        Assert.Equal(7, Store.FanOutCursor("rooms"));
        Assert.Equal(0, Store.FanOutCursor("halls"));
        Assert.NotNull(Store.Find("d1"));
    }
}

/// <summary>The inbox: an activity is taken once, processed in arrival order, and its id kept after processing.</summary>
public abstract class InboxStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IInboxStore Store => Backend.Get<IInboxStore>();

    [Fact]
    public void An_activity_is_taken_once_and_processed_in_arrival_order()
    {
        Assert.True(Store.TryAdd(Inbox("a2", At.AddSeconds(2))));
        Assert.True(Store.TryAdd(Inbox("a1", At.AddSeconds(1))));
        Assert.False(Store.TryAdd(Inbox("a1", At.AddSeconds(3))));
        Backend.Reopen();
        Assert.Equal(["a1", "a2"], Store.Unprocessed(10).Select(e => e.ActivityId));
        Assert.Equal("""{"type":"Follow"}""", Store.Unprocessed(1).Single().Json);
        Store.MarkProcessed("a1", "applied");
        Store.MarkProcessed("unknown", "applied");
        Assert.Equal(["a2"], Store.Unprocessed(10).Select(e => e.ActivityId));
        // processed, its id still refuses a replay
        Assert.False(Store.TryAdd(Inbox("a1", At.AddSeconds(9))));
    }
}

/// <summary>Actor keys: kept whole, retired generations included.</summary>
public abstract class ActorKeyStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IActorKeyStore Store => Backend.Get<IActorKeyStore>();

    [Fact]
    public void Keys_are_kept_whole_with_their_retired_generations()
    {
        Assert.Null(Store.Find("rooms"));
        Store.Save(Keys("rooms"));
        Store.Save(Keys("rooms") with { Generation = 3 });
        Backend.Reopen();
        var got = Store.Find("rooms")!;
        Assert.Equal((3, "-----BEGIN PUBLIC KEY-----", At), (got.Generation, got.RsaPublicPem, got.CreatedAt));
        Assert.Equal(new byte[] { 1, 2, 3 }, got.RsaPrivatePkcs8);
        Assert.Equal(new byte[] { 4, 5, 6 }, got.Ed25519Seed);
        Assert.Equal([new RetiredKey(1, "old-pem", "z6Mk-old", At.AddDays(-1))], got.Retired);
    }
}

/// <summary>Replicas: a revision replaces only an older one; one subscription's replicas never mix with another's.</summary>
public abstract class ReplicaStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IReplicaStore Store => Backend.Get<IReplicaStore>();

    [Fact]
    public void Only_a_newer_revision_replaces_a_replica()
    {
        Assert.True(Store.ApplyIfNewer(Replica("s1", "r1", 2, """{ "v": 2 }""")));
        Assert.False(Store.ApplyIfNewer(Replica("s1", "r1", 2, """{ "v": 3 }""")));
        Assert.False(Store.ApplyIfNewer(Replica("s1", "r1", 1, """{ "v": 1 }""")));
        Assert.True(Store.ApplyIfNewer(Replica("s1", "r1", 3, deleted: true)));
        Backend.Reopen();
        var got = Store.Get("s1", "r1")!;
        Assert.Equal((3L, true), (got.Revision, got.Deleted));
        Assert.Equal(0, Store.Count("s1"));
    }

    [Fact]
    public void Subscriptions_replicas_are_listed_counted_searched_and_purged_apart()
    {
        foreach (var id in new[] { "b", "a", "c" }) Store.ApplyIfNewer(Replica("s1", id, 1, $$"""{ "tool": "Scie {{id}}" }"""));
        Store.ApplyIfNewer(Replica("s10", "a", 1));
        Store.ApplyIfNewer(Replica("s1", "c", 2, deleted: true));
        Assert.Equal(["a", "b"], Store.List("s1", null, 10).Select(r => r.RecordId));
        Assert.Equal(["b"], Store.List("s1", "a", 10).Select(r => r.RecordId));
        Assert.Equal(["b"], Store.List("s1", null, 10, "SCIE B").Select(r => r.RecordId));
        Assert.Equal(2, Store.Count("s1"));
        Assert.Equal([("a", 1L), ("b", 1L)], Store.Revisions("s1"));
        var got = Store.Get("s1", "a")!;
        Assert.Equal(("""{"tool":"Scie a"}""", true, """{"proof":{}}"""), (got.Data.GetRawText(), got.ProofVerified, got.SignedObject));
        Store.Purge("s1");
        Assert.Equal(0, Store.Count("s1"));
        Assert.Null(Store.Get("s1", "c"));
        Assert.Equal(1, Store.Count("s10"));
    }

    [Fact]
    public void Recent_changes_come_newest_first_across_subscriptions_deletions_included()
    {
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        ReplicaRecord Make(string sub, string id, int minutes, long rev = 1, bool deleted = false) =>
            Replica(sub, id, rev, deleted: deleted) with { ReceivedAt = t0.AddMinutes(minutes) };
        Store.ApplyIfNewer(Make("suba", "r1", 1));
        Store.ApplyIfNewer(Make("subb", "r1", 3));
        Store.ApplyIfNewer(Make("suba", "r2", 2));
        Store.ApplyIfNewer(Make("suba", "r1", 5, rev: 2, deleted: true));

        var recent = Store.RecentlyReceived(3);
        Assert.Equal([("suba", "r1"), ("subb", "r1"), ("suba", "r2")], recent.Select(r => (r.SubscriptionId, r.RecordId)).ToList());
        Assert.True(recent[0].Deleted);
        Assert.Equal(t0.AddMinutes(5), recent[0].ReceivedAt);

        Store.ApplyIfNewer(Make("suba", "r3", 4));
        Assert.Equal(["r1", "r3", "r2"], Store.RecentlyReceived(3, "suba").Select(r => r.RecordId).ToList());
        Assert.Equal("r1", Assert.Single(Store.RecentlyReceived(10, "subb")).RecordId);
        Assert.Empty(Store.RecentlyReceived(0));
    }
}

/// <summary>Revocations: kept with the follower's removal and the Reject's deliveries, confirmed once.</summary>
public abstract class RevocationStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IRevocationStore Store => Backend.Get<IRevocationStore>();

    [Fact]
    public void A_revocation_removes_the_follower_and_queues_the_reject_in_one_step()
    {
        var followers = Backend.Get<IFollowerStore>();
        followers.Upsert(Follower("rooms", "https://a.example/x"));
        Store.Revoke(Revocation("rj1", "rooms", "https://a.example/x"), [Delivery("reject-1", At)]);
        Backend.Reopen();
        Assert.Null(Backend.Get<IFollowerStore>().Find("rooms", "https://a.example/x"));
        Assert.NotNull(Backend.Get<IDeliveryQueue>().Find("reject-1"));
        Assert.Equal(Revocation("rj1", "rooms", "https://a.example/x"), Store.FindByReject("rj1"));
        Assert.Single(Store.List("rooms"));
        Assert.Single(Store.Of("rooms", "https://a.example/x"));
        Assert.Empty(Store.Of("halls", "https://a.example/x"));
    }

    [Fact]
    public void A_revocation_is_confirmed_once_and_listed_newest_first()
    {
        Store.Revoke(Revocation("rj1", "rooms", "https://a.example/x"), []);
        Store.Revoke(Revocation("rj2", "rooms", "https://a.example/x") with { RevokedAt = At.AddDays(1) }, []);
        Assert.True(Store.Confirm("rj1", At.AddHours(1), "confirm-1"));
        Assert.False(Store.Confirm("rj1", At.AddHours(2), "confirm-2"));
        Assert.False(Store.Confirm("nope", At, "c"));
        Assert.Equal(("confirm-1", (DateTimeOffset?)At.AddHours(1)), (Store.FindByReject("rj1")!.ConfirmationId, Store.FindByReject("rj1")!.PurgedAt));
        Assert.Equal(["rj2", "rj1"], Store.Of("rooms", "https://a.example/x").Select(r => r.RejectActivityId));
    }
}
