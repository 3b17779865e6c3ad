using Commons.Core.Federation;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// The matcher's index is kept between views of the matches and built again only when what it was built from changes:
/// a replica change received, a subscription accepted or ended, a write to an offers dataset. A new offer is matched
/// at the next view after it arrives; an expiry needs no rebuild.
/// </summary>
public sealed class MatchIndexCacheTests : IDisposable
{
    private readonly MapNode _node = new();

    public MatchIndexCacheTests()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-bike", MapNode.Doc("""{"kind":"need","category":"logistics","title":"Cherche vélo cargo","language":"fr"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("bakfiets", """{"kind":"offer","category":"logistics","title":"Bakfiets te leen","language":"nl","expires_at":"2026-04-03T00:00:00Z"}"""));
    }

    public void Dispose() => _node.Dispose();

    private List<string> Matched() => _node.Map.Matches(MapNode.Alice).Select(m => m.Match.Listing.Id).Order(StringComparer.Ordinal).ToList();

    private void Receive(string id, string json, bool deleted = false, long revision = 10)
    {
        _node.Clock.Advance(TimeSpan.FromSeconds(1));
        _node.Replicas.ApplyIfNewer(new ReplicaRecord
        {
            SubscriptionId = "sub-b", RecordId = id, ObjectUri = $"https://b.example/datasets/offers/records/{id}",
            Revision = revision, Data = MapNode.Doc(json), ReceivedAt = _node.Clock.GetUtcNow(), Deleted = deleted,
        });
    }

    [Fact]
    public void Views_with_nothing_changed_share_one_index()
    {
        Assert.Equal(["bakfiets"], Matched());
        Assert.Equal(["bakfiets"], Matched());
        _node.News.Arrived(); // the dashboard's news reads the same index
        Assert.Equal(1, _node.Indexes.Builds);
    }

    [Fact]
    public void A_new_offer_through_a_replica_is_matched_at_the_next_view_and_a_deleted_one_no_more()
    {
        Assert.Equal(["bakfiets"], Matched());
        Receive("cargo", """{"kind":"offer","category":"logistics","title":"Vélo cargo à prêter","language":"fr"}""");
        Assert.Equal(["bakfiets", "cargo"], Matched());
        Assert.Equal(2, _node.Indexes.Builds);
        Receive("cargo", """{"kind":"offer","category":"logistics","title":"Vélo cargo à prêter","language":"fr"}""", deleted: true, revision: 11);
        Assert.Equal(["bakfiets"], Matched());
        Assert.Equal(3, _node.Indexes.Builds);
    }

    [Fact]
    public void Another_organisations_offer_written_here_and_an_ended_subscription_rebuild_it()
    {
        Assert.Equal(["bakfiets"], Matched());
        _node.Records.Create(MapNode.Admin, "offers", "their-bike", MapNode.Doc(
            """{"kind":"offer","category":"logistics","title":"Vélo cargo partagé","language":"fr","organisation":"Atelier Vélo"}"""));
        Assert.Equal(["bakfiets", "their-bike"], Matched());

        var b = _node.Subscriptions.List().Single(s => s.Id == "sub-b");
        _node.Subscriptions.Upsert(b with { State = SubscriptionState.Ended });
        Assert.Equal(["their-bike"], Matched());
        Assert.Equal(3, _node.Indexes.Builds);
    }

    [Fact]
    public void An_offer_that_expires_leaves_the_matches_without_a_rebuild()
    {
        Assert.Equal(["bakfiets"], Matched());
        _node.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Empty(Matched());
        Assert.Equal(1, _node.Indexes.Builds);
    }
}
