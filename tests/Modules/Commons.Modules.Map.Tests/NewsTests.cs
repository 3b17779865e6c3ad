using System.Net;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The map's news on the dashboard (Services/MapNews.cs): matches that arrived through federation since the member last
/// looked at /map/matches, newest first, each leading to the replicated record's page; computed once and kept while
/// nothing they depend on changes.
/// </summary>
public sealed class NewsTests : IDisposable
{
    private static readonly Caller Bob = new("bob", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
    private readonly MapNode _node = new();

    public NewsTests()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-room", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr","capacity":{"amount":20,"unit":"persons"}}"""));
        _node.Records.Create(MapNode.Admin, "offers", "offer-van", MapNode.Doc("""{"kind":"offer","category":"logistics","title":"Camionnette à prêter","language":"fr"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted);
        _node.Follow("c.example", "sub-c", SubscriptionState.Pending);
    }

    public void Dispose() => _node.Dispose();

    /// <summary>A listing arriving now in the replica of <paramref name="subscription"/> (as the federation worker stores it).</summary>
    private void Arrives(string subscription, string host, string id, string json, long revision = 1) =>
        _node.Replicas.ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = subscription, RecordId = id, ObjectUri = $"https://{host}/datasets/offers/records/{id}",
            Revision = revision, Data = MapNode.Doc(json), ReceivedAt = _node.Clock.GetUtcNow(),
        });

    private void Later(int minutes = 5) => _node.Clock.Advance(TimeSpan.FromMinutes(minutes));

    [Fact]
    public void A_replica_offer_that_fits_our_need_is_news_in_three_languages_and_leads_to_the_replicated_record()
    {
        Later();
        Arrives("sub-b", "b.example", "zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal","language":"nl","capacity":{"amount":30,"unit":"persons"}}""");
        Arrives("sub-b", "b.example", "bike", """{"kind":"offer","category":"logistics","title":"Bakfiets","language":"nl"}""");
        Arrives("sub-b", "b.example", "van-wanted", """{"kind":"need","category":"logistics","title":"Cherche une camionnette","language":"fr"}""");
        Arrives("sub-c", "c.example", "pending-room", """{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}""");
        // A listing of another organisation kept in our own dataset fits too, but did not come through federation.
        _node.Records.Create(MapNode.Admin, "offers", "partner-room", MapNode.Doc("""{"kind":"offer","category":"place","title":"Salle de réunion du voisin","language":"fr","organisation":"Voisins asbl"}"""));

        var news = _node.News.For(MapNode.Alice);

        Assert.Contains(news, m => (m.Ours.Id, m.Theirs.Id, m.SubscriptionId) == ("need-room", "zaal", "sub-b"));
        Assert.Contains(news, m => (m.Ours.Id, m.Theirs.Id) == ("offer-van", "van-wanted"));
        Assert.DoesNotContain(news, m => m.Theirs.Id is "pending-room" or "partner-room" || (m.Ours.Id, m.Theirs.Id) == ("need-room", "bike"));
        Assert.All(news, m => Assert.Equal(_node.Clock.GetUtcNow(), m.ReceivedAt));

        var item = new MapModule().DashboardItems(new ServiceCollection().AddSingleton(_node.News).BuildServiceProvider(), MapNode.Alice)
            .Single(i => i.Path.EndsWith("/zaal", StringComparison.Ordinal));
        Assert.Equal("/subscriptions/sub-b/records/zaal", item.Path);
        Assert.Equal("Une offre de b.example répond à notre besoin «\u00a0Cherche salle de réunion\u00a0»\u00a0: Vergaderzaal", item.Text.Fr);
        Assert.Equal("Een aanbod van b.example past bij onze vraag ‘Cherche salle de réunion’: Vergaderzaal", item.Text.Nl);
        Assert.Equal("An offer from b.example fits our need “Cherche salle de réunion”: Vergaderzaal", item.Text.En);
        Assert.Equal(_node.Clock.GetUtcNow(), item.At);
    }

    [Fact]
    public void Only_what_arrived_since_the_member_last_looked_is_news_newest_first_and_each_member_has_their_own_last_look()
    {
        Later();
        Arrives("sub-b", "b.example", "zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal","language":"nl"}""");
        Later();
        _node.News.Seen(MapNode.Alice);
        Assert.Empty(_node.News.For(MapNode.Alice));
        Assert.Equal(_node.Clock.GetUtcNow(), _node.News.LastSeen("alice"));

        Later();
        Arrives("sub-b", "b.example", "salle", """{"kind":"offer","category":"place","title":"Salle de réunion lumineuse","language":"fr"}""");
        Later();
        Arrives("sub-b", "b.example", "room", """{"kind":"offer","category":"place","title":"Salle de réunion avec projecteur","language":"fr"}""");

        Assert.Equal(["room", "salle"], _node.News.For(MapNode.Alice).Select(m => m.Theirs.Id));
        // Bob never looked: everything that fits is news to him, newest first.
        Assert.Equal(["room", "salle", "zaal"], _node.News.For(Bob).Select(m => m.Theirs.Id));
        Assert.Equal(["room"], _node.News.For(Bob, limit: 1).Select(m => m.Theirs.Id));

        // A changed listing arrives again: news again.
        Later();
        Arrives("sub-b", "b.example", "zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal, nu met beamer","language":"nl"}""", revision: 2);
        Assert.Equal("zaal", _node.News.For(MapNode.Alice)[0].Theirs.Id);
    }

    [Fact]
    public void A_member_without_read_or_without_sight_of_our_listings_gets_no_news_and_a_revoked_replica_takes_its_news_away()
    {
        Later();
        Arrives("sub-b", "b.example", "zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal","language":"nl"}""");
        Assert.NotEmpty(_node.News.For(MapNode.Alice));
        Assert.Empty(_node.News.For(MapNode.Alice with { Scopes = TokenScopes.None }));

        _node.Datasets.Update(MapNode.Admin, "offers", new DatasetDraft { Policy = SharingPolicy.Private });
        Assert.Empty(_node.News.For(MapNode.Alice));
        Assert.NotEmpty(_node.News.For(MapNode.Admin));

        _node.Subscriptions.Upsert(_node.Subscriptions.Find("sub-b")! with { State = SubscriptionState.Ended });
        Assert.Empty(_node.News.For(MapNode.Admin));
    }

    [Fact]
    public void The_matches_are_computed_once_and_again_only_when_what_they_depend_on_changes()
    {
        Later();
        Arrives("sub-b", "b.example", "zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal","language":"nl"}""");
        for (var i = 0; i < 5; i++) _node.News.For(i % 2 == 0 ? MapNode.Alice : Bob);
        _node.News.Seen(MapNode.Alice);
        _node.News.For(MapNode.Alice);
        Assert.Equal(1, _node.News.Computed);

        Arrives("sub-b", "b.example", "salle", """{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}""");
        _node.News.For(MapNode.Alice);
        _node.News.For(Bob);
        Assert.Equal(2, _node.News.Computed);

        _node.Records.Create(MapNode.Admin, "offers", "need-hall", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche une grande salle","language":"fr"}"""));
        _node.News.For(Bob);
        Assert.Equal(3, _node.News.Computed);

        _node.Subscriptions.Upsert(_node.Subscriptions.Find("sub-c")! with { State = SubscriptionState.Accepted });
        _node.News.For(Bob);
        Assert.Equal(4, _node.News.Computed);

        // The minute turns (an offer may have expired meanwhile).
        Later(1);
        _node.News.For(Bob);
        Assert.Equal(5, _node.News.Computed);
    }
}

/// <summary>Looking at /map/matches over real HTTP is what makes the matches there no longer news.</summary>
public sealed class NewsSeenHttpTests : IAsyncLifetime
{
    private readonly MapNode _node = new();
    private Commons.Modules.Testing.ModuleTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MapHost.StartAsync(_node);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _node.Dispose();
    }

    [Fact]
    public async Task Viewing_the_matches_page_records_the_members_last_look()
    {
        Assert.Null(_node.News.LastSeen("alice"));
        using var alice = _host.Client("alice", "fr");
        using var response = await alice.GetAsync("/map/matches");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_node.Clock.GetUtcNow(), _node.News.LastSeen("alice"));
        Assert.Null(_node.News.LastSeen("root"));
    }
}
