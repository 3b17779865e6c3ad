using Commons.Core.Federation;
using Commons.Modules.Place.Views;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>
/// Node B following A's resources dataset "rooms" (subscription s1, the hall and a workshop priced 10 € and 3 credit
/// units an hour, cancellable free until 14 days before) with A's views served to B in process, and the nodes that
/// A's rooms admit (B and C).
/// </summary>
public static class FollowedPlace
{
    public const string RoomsActor = "https://a.example/datasets/rooms";
    public const string B = DirectViews.Fetcher;
    public const string C = "https://c.example/actor";

    public static void Link(PlaceNode a, PlaceNode b)
    {
        a.Records.Create(PlaceNode.Admin, "rooms", "workshop", PlaceNode.Doc("""
            {"name":{"fr":"Atelier","nl":"Werkplaats","en":"Workshop"},"category":"room","pricePerHourEur":"10","pricePerHourCredit":"3","cancellationDeadlineMinutes":20160}
            """));
        foreach (var actor in new[] { B, C })
            a.Followers.Upsert(new Follower { DatasetSlug = "rooms", ActorUri = actor, Inbox = actor + "/inbox", FollowActivityId = actor + "#f", State = FollowerState.Accepted });
        b.RemoteViews.Serve(RoomsActor, a, "rooms", new UsageView(a.Directory, a.RecordStore, a.ModuleStore, a.Billing),
            new MineView(a.Directory, a.RecordStore, a.ModuleStore, a.Billing));
        b.Subscriptions.Upsert(new Subscription
        {
            Id = "s1", DatasetActor = RoomsActor, Inbox = RoomsActor + "/inbox", Name = "Maison de quartier", Kind = "place.resources",
            FollowActivityId = "s1#follow", State = SubscriptionState.Accepted, RequestedBy = "root",
        });
        foreach (var id in new[] { "hall", "workshop" })
            b.Replicas.ApplyIfNewer(new ReplicaRecord
            {
                SubscriptionId = "s1", RecordId = id, ObjectUri = $"{RoomsActor}/records/{id}", Revision = 1,
                Data = a.RecordStore.Get(a.DatasetStore.Find("rooms")!.Key, id)!.Data,
            });
    }
}
