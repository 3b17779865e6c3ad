using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tests.Support;

namespace Commons.Modules.Map.Tests;

/// <summary>
/// A place offered for one of our needs by a node whose shared place we follow is booked from here: the match carries
/// the shared place's page of places elsewhere — only for a need, a place, a followed place.resources dataset on the
/// offer's own host, and while the place module is on here.
/// </summary>
public sealed class BookActionTests : IDisposable
{
    private readonly MapNode _node = new();

    private sealed class Switches(params string[] on) : IModuleSwitches
    {
        public bool IsOn(string module) => on.Contains(module);
    }

    public void Dispose() => _node.Dispose();

    private MapPages Pages(params string[] on) => new(_node.Map, _node.Directory, _node.ModuleStore, _node.Subscriptions, _node.Replicas, new Switches(on));

    private void FollowPlaceOf(string host, SubscriptionState state = SubscriptionState.Accepted) => _node.Subscriptions.Upsert(new Subscription
    {
        Id = "place-" + host, DatasetActor = $"https://{host}/datasets/rooms", Inbox = $"https://{host}/inbox", FollowActivityId = $"https://us/follows/place-{host}",
        State = state, RequestedBy = "root", Since = MapNode.Start, Kind = "place.resources",
    });

    private string? BookPathOf(MapPages pages, string listing) => pages.Matches(MapNode.Alice).Single(m => m.Match.Listing.Id == listing).BookPath;

    [Fact]
    public void A_room_for_our_need_from_a_node_whose_place_we_follow_is_booked_there_and_only_then()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-room", MapNode.Doc("""{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("zaal", """{"kind":"offer","category":"place","title":"Vergaderzaal","language":"nl"}"""));
        _node.Follow("c.example", "sub-c", SubscriptionState.Accepted,
            ("salle", """{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}"""));
        FollowPlaceOf("b.example");
        FollowPlaceOf("c.example", SubscriptionState.Pending);

        Assert.Equal("/place/elsewhere", BookPathOf(Pages("map", "place"), "zaal"));
        Assert.Null(BookPathOf(Pages("map", "place"), "salle")); // c's place is not accepted yet
        Assert.Null(BookPathOf(Pages("map"), "zaal"));            // the place module is off here
        Assert.Null(BookPathOf(_node.Pages, "zaal"));             // no switches known: no action
    }

    [Fact]
    public void Equipment_or_an_offer_we_answer_with_is_not_booked_through_the_place()
    {
        _node.CreateDataset("offers", OffersKind.KindName);
        _node.Records.Create(MapNode.Admin, "offers", "need-tools", MapNode.Doc("""{"kind":"need","category":"equipment","title":"Cherche perceuse","language":"fr"}"""));
        _node.Records.Create(MapNode.Admin, "offers", "our-room", MapNode.Doc("""{"kind":"offer","category":"place","title":"Salle de réunion","language":"fr"}"""));
        _node.Follow("b.example", "sub-b", SubscriptionState.Accepted,
            ("drill", """{"kind":"offer","category":"equipment","title":"Perceuse","language":"fr"}"""),
            ("their-need", """{"kind":"need","category":"place","title":"Cherche salle de réunion","language":"fr"}"""));
        FollowPlaceOf("b.example");

        var pages = Pages("map", "place");
        Assert.Null(BookPathOf(pages, "drill"));
        Assert.Null(BookPathOf(pages, "their-need"));
    }
}
