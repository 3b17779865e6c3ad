using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Nodes;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Replication;

namespace Commons.Federation.Actors;

/// <summary>
/// <c>keys rotate</c>: new key pairs for an actor, published at once with an Update of the actor to those who hold
/// its key (a dataset's followers; for the node, the datasets it follows), signed by the new key. The new keys get ids
/// no earlier generation used (<see cref="KeyFragments"/>); the old Ed25519 key stays in the actor document under its
/// own id for <see cref="ActorKeyring.GracePeriod"/>, so proofs made before the rotation keep verifying.
/// </summary>
public sealed class KeyRotation(ActorKeyring keys, IDatasetStore datasets, IFollowerStore followers, ISubscriptionStore subscriptions,
    INodeStore node, Outbox outbox, ObjectProofs proofs, DatasetActorUpdates actorUpdates, ActivityUris uris, TimeProvider clock)
{
    /// <summary>Rotates "_node" or a dataset's keys; returns the new generation and how many inboxes were told.</summary>
    public (int Generation, int Notified) Rotate(string actor)
    {
        var now = clock.GetUtcNow();
        if (actor == ActorKeyring.NodeActor)
        {
            var rotated = keys.Rotate(actor);
            var identity = node.Get();
            var doc = ActorDocuments.NodeActor(identity?.Name ?? "Commons Node", uris, keys.PublicKeysOf(actor), identity?.CreatedAt);
            var inboxes = subscriptions.List().Where(s => s.State is SubscriptionState.Accepted or SubscriptionState.Pending).Select(s => s.Inbox).Distinct().ToList();
            if (inboxes.Count > 0) outbox.Send(actor, proofs.Sign(actor, UpdateOf(uris.NodeActor, doc, rotated.Keys.Generation, now)), inboxes);
            return (rotated.Keys.Generation, inboxes.Count);
        }
        var dataset = datasets.Find(actor) ?? throw new NotFoundException($"no dataset '{actor}'");
        var loaded = keys.Rotate(actor);
        if (dataset.Policy == SharingPolicy.Private) return (loaded.Keys.Generation, 0);
        var targets = followers.List(actor, FollowerState.Accepted).Select(f => f.DeliveryInbox).Distinct().ToList();
        if (targets.Count > 0) outbox.Send(actor, actorUpdates.ForRotation(dataset, loaded.Keys.Generation, now), targets);
        return (loaded.Keys.Generation, targets.Count);
    }

    private static System.Text.Json.Nodes.JsonObject UpdateOf(string actor, System.Text.Json.Nodes.JsonObject actorDoc, long stamp, DateTimeOffset at)
    {
        var activity = ActivityStreamsContext.NewDocument();
        activity["id"] = ActivityUris.ActorUpdateId(actor, stamp);
        activity["type"] = "Update";
        activity["actor"] = actor;
        actorDoc.Remove("@context");
        activity["object"] = actorDoc;
        activity["published"] = AsJson.FormatTime(at);
        activity["to"] = new System.Text.Json.Nodes.JsonArray(ActivityStreamsContext.PublicCollection);
        return activity;
    }
}
