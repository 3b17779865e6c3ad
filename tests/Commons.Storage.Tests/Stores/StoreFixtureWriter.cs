using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage.Federation;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests.Stores;

/// <summary>
/// Writes the store committed under <c>Stores/</c> (see README.md there). It ran once, on the code of the release the
/// file stands for (kept compiling with today's services, it is not run again); the migration tests open the committed file and never call this.
/// </summary>
public static class StoreFixtureWriter
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static void Write(string dataDirectory)
    {
        using var node = new TestNode(dataDirectory, new ManualClock(Start) { AutoAdvance = true });
        new LiteNodeStore(node.Database).Save(new NodeIdentity { Name = "atelier-v0", CreatedAt = Start, TokenSigningKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray() });
        var marie = node.AddMember("marie");
        node.AddMember("root", MemberRole.Admin);
        node.AddMember("jef", MemberRole.Member);
        new AccessTokenService(node.TokenStore, node.MemberStore, node.Clock).Create(Admin, "marie", "script", TokenScopes.Read, null);

        node.CreateDataset("rooms", """{ "type": "object", "properties": { "name": { "type": "string" } } }""", SharingPolicy.Public, marie);
        node.CreateDataset("offers", policy: SharingPolicy.Private);
        node.CreateDataset("needs", policy: SharingPolicy.Public);
        for (var i = 0; i < 12; i++) node.Records.Create(Admin, "rooms", $"room{i:D2}", Body($$"""{ "name": "Salle {{i}} – École", "seats": {{i * 5}} }"""));
        for (var i = 0; i < 4; i++) node.Records.Update(Admin, "rooms", $"room{i:D2}", Body($$"""{ "name": "Salle {{i}} rénovée" }"""), true, null);
        for (var i = 8; i < 11; i++) node.Records.Delete(Admin, "rooms", $"room{i:D2}", null);
        node.Records.Create(Admin, "offers", "o1", Body("""{ "kind": "offer", "tags": ["vélo", "cargo"] }"""), shared: false);
        node.Records.Create(Admin, "offers", "o2", Body("""{ "kind": "offer", "hours": 3 }"""));
        node.Records.Delete(Admin, "offers", "o2", null);
        node.Records.Create(Admin, "needs", "n1", Body("""{ "need": "imprimante" }"""));

        var followers = new LiteFollowerStore(node.Database);
        followers.Upsert(new Follower { DatasetSlug = "rooms", ActorUri = "https://peer.example/ds/x", Inbox = "https://peer.example/ds/x/inbox", SharedInbox = "https://peer.example/inbox", FollowActivityId = "https://peer.example/f/1", State = FollowerState.Accepted, Since = Start, ApprovedBy = "marie" });
        followers.Upsert(new Follower { DatasetSlug = "needs", ActorUri = "https://other.example/a", Inbox = "https://other.example/a/inbox", FollowActivityId = "https://other.example/f/2", State = FollowerState.Pending, Since = Start });

        var subscriptions = new LiteSubscriptionStore(node.Database);
        subscriptions.Upsert(new Subscription { Id = "s1", DatasetActor = "https://peer.example/datasets/tools", Handle = "tools@peer.example", Inbox = "https://peer.example/datasets/tools/inbox", Name = "Outils", FollowActivityId = "https://atelier.example/follows/1", State = SubscriptionState.Accepted, RequestedBy = "marie", Since = Start, BackfillAfter = 7, BackfillDone = true, BackfillDoneAt = Start });
        subscriptions.Upsert(new Subscription { Id = "s2", DatasetActor = "https://peer.example/datasets/rooms", Inbox = "https://peer.example/datasets/rooms/inbox", FollowActivityId = "https://atelier.example/follows/2", State = SubscriptionState.Pending, RequestedBy = "jef", Since = Start });

        var replicas = new LiteReplicaStore(node.Database);
        for (var i = 0; i < 5; i++)
            replicas.ApplyIfNewer(new ReplicaRecord { SubscriptionId = "s1", RecordId = $"t{i}", ObjectUri = $"https://peer.example/datasets/tools/records/t{i}", Revision = 1, Data = Body($$"""{ "tool": "scie {{i}}" }"""), Name = $"scie {i}", ReceivedAt = Start.AddMinutes(i), ActivityId = $"https://peer.example/a/{i}" });
        replicas.ApplyIfNewer(new ReplicaRecord { SubscriptionId = "s1", RecordId = "t4", ObjectUri = "https://peer.example/datasets/tools/records/t4", Revision = 2, Deleted = true, ReceivedAt = Start.AddMinutes(9) });
    }

    /// <summary>Run by hand: <c>COMMONS_WRITE_STORE_FIXTURE=/some/empty/folder dotnet test --filter StoreFixtureWriter</c>.</summary>
    public sealed class Run
    {
        [Fact]
        public void Writes_the_store_into_the_folder_named_by_COMMONS_WRITE_STORE_FIXTURE()
        {
            if (Environment.GetEnvironmentVariable("COMMONS_WRITE_STORE_FIXTURE") is not { Length: > 0 } folder) return;
            Write(folder);
            using var db = CommonsDatabase.Open(folder);
            Assert.True(StoreChecker.Run(db).Ok);
        }
    }
}
