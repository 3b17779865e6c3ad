using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Tokens;
using Commons.Storage.Federation;
using Commons.Storage.Tests.Contract;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// The one rule for reads that overlap writes (<see cref="CommonsDatabase"/>): LiteDB is reached only inside Read, Write
/// or a snapshot. It is enforced where LiteDB is reached, and every store's point reads hold while other threads'
/// transactions roll back and commit.
/// </summary>
public sealed class ReadRuleTests : IDisposable
{
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void LiteDB_is_reached_only_inside_Read_Write_or_a_snapshot()
    {
        var db = _node.Database;
        var outside = Assert.Throws<InvalidOperationException>(() => db.Db);
        Assert.Contains("CommonsDatabase.Read", outside.Message);
        Assert.NotNull(db.Read(() => db.Db));
        Assert.NotNull(db.Write(() => db.Db));
        using (db.BeginSnapshot()) Assert.NotNull(db.Db);
        Assert.Throws<InvalidOperationException>(() => db.Db);
        // the gate is per thread: another thread is refused while this one reads
        Exception? other = null;
        db.Read(() =>
        {
            var thread = new Thread(() => other = Record.Exception(() => db.Db));
            thread.Start();
            thread.Join();
        });
        Assert.IsType<InvalidOperationException>(other);
    }

    [Fact]
    public void Point_reads_of_every_store_hold_while_other_transactions_roll_back_and_commit()
    {
        var db = _node.Database;
        var rooms = _node.CreateDataset("rooms");
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "v": 0 }"""));
        _node.AddMember("ana");
        new LiteNodeStore(db).Save(new NodeIdentity { Name = "n", CreatedAt = Samples.At, TokenSigningKey = [1, 2] });
        _node.TokenStore.Add(Samples.Token("t1", "ana"));
        var invitations = new LiteInvitationStore(db);
        invitations.Add(Samples.Invitation("i1"));
        var followers = new LiteFollowerStore(db);
        followers.Upsert(Samples.Follower("rooms", "https://peer.example/a"));
        var subscriptions = new LiteSubscriptionStore(db);
        subscriptions.Upsert(Samples.Subscription("s1", "https://peer.example/ds"));
        var deliveries = new LiteDeliveryQueue(db);
        deliveries.EnqueueFanOut("rooms", 1, [Samples.Delivery("d1", Samples.At)]);
        var keys = new LiteActorKeyStore(db);
        keys.Save(Samples.Keys("rooms"));
        var replicas = new LiteReplicaStore(db);
        replicas.ApplyIfNewer(Samples.Replica("s1", "r1", 1));
        var revocations = new LiteRevocationStore(db);
        revocations.Revoke(Samples.Revocation("rj1", "rooms", "https://peer.example/b"), []);
        var inbox = new LiteInboxStore(db);
        inbox.TryAdd(Samples.Inbox("act1", Samples.At));
        var nodes = new LiteNodeStore(db);
        var domainRules = new LiteDomainRuleStore(db);

        var reads = new Func<bool>[]
        {
            () => _node.RecordStore.Get(rooms.Key, "a") is not null,
            () => _node.DatasetStore.Find("rooms") is not null,
            () => _node.MemberStore.Find("ana") is not null,
            () => _node.TokenStore.Find("t1") is not null,
            () => invitations.Find("i1") is not null,
            () => nodes.Get() is not null,
            () => domainRules.Get() is not null,
            () => followers.Find("rooms", "https://peer.example/a") is not null,
            () => subscriptions.Find("s1") is not null,
            () => deliveries.FanOutCursor("rooms") == 1 && deliveries.Find("d1") is not null,
            () => keys.Find("rooms") is not null,
            () => replicas.Get("s1", "r1") is not null,
            () => revocations.FindByReject("rj1") is not null,
            () => inbox.Unprocessed(10).Count == 1,
            () => _node.Feed.LastSeq(rooms.Key) >= 1,
        };

        const int rounds = 300;
        var done = 0;
        Threads.Run(4, t =>
        {
            if (t == 0)
            {
                for (var i = 0; i < rounds; i++)
                {
                    // A transaction that dirties pages of several collections, then rolls back.
                    Assert.Throws<InvalidOperationException>(() => db.Write(() =>
                    {
                        var records = db.Db.GetCollection(StoreLayout.Records);
                        for (var j = 0; j < 20; j++) records.Insert(new BsonDocument { ["_id"] = StoreLayout.RecordDocumentId(rooms.Key, $"tmp{i}-{j}"), ["ds"] = rooms.Key });
                        db.Db.GetCollection("members").Insert(new BsonDocument { ["_id"] = $"ghost{i}" });
                        throw new InvalidOperationException("rolled back on purpose");
                    }));
                    _node.Records.Update(Admin, "rooms", "a", Body($$"""{ "v": {{i + 1}} }"""), null, null);
                }
                Volatile.Write(ref done, 1);
                return;
            }
            var k = 0;
            while (Volatile.Read(ref done) == 0)
            {
                var read = reads[k++ % reads.Length];
                Assert.True(read(), $"read {(k - 1) % reads.Length} found nothing");
            }
        });

        Assert.Equal(rounds + 1, _node.RecordStore.Get(rooms.Key, "a")!.Revision);
        Assert.Null(_node.MemberStore.Find("ghost0"));
        Assert.Equal(1, _node.RecordStore.Count(rooms.Key));
        Assert.True(StoreChecker.Run(db).Ok);
    }
}
