using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Http;

namespace Commons.Federation.Following;

/// <summary>
/// Our node following remote datasets: resolve a handle or URL, send the Follow from the node actor, record the
/// answer, unfollow (Undo) and drop the replica.
/// </summary>
public sealed class SubscriptionManager(
    ISubscriptionStore subscriptions, IReplicaStore replicas, RemoteActorFetcher actors, WebFingerClient webFinger,
    Outbox outbox, ActivityUris uris, TimeProvider clock)
{
    /// <summary>Follows <paramref name="target"/> (<c>slug@host</c>, <c>@slug@host</c> or the actor URL).</summary>
    public async Task<Subscription> FollowAsync(string target, string requestedBy, CancellationToken ct)
    {
        target = (target ?? "").Trim();
        Uri actorUri;
        string? handle = null;
        if (Uri.TryCreate(target, UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
            actorUri = u;
        else if (AccountHandle.TryParse(target, out var h))
        {
            handle = h.ToString();
            try { actorUri = await webFinger.ResolveActorAsync(target, ct); }
            catch (WebFingerException e) { throw ValidationException.For("target", $"cannot find {target}: {e.Message}"); }
        }
        else throw ValidationException.For("target", "a dataset handle such as offers@commons.example.org, or its URL");

        if (uris.IsOurs(actorUri.ToString())) throw ValidationException.For("target", "that dataset is on this node");
        RemoteActor actor;
        try { actor = await actors.FetchAsync(actorUri, ct); }
        catch (RemoteActorException e) { throw ValidationException.For("target", $"cannot fetch {actorUri}: {e.Message}"); }
        catch (FederationHttpException e) { throw ValidationException.For("target", $"cannot fetch {actorUri}: {e.Message}"); }

        var existing = subscriptions.FindByActor(actor.Id.ToString());
        if (existing is { State: SubscriptionState.Pending or SubscriptionState.Accepted }) return existing;

        var follow = FollowActivities.Follow(uris.NodeActor, actor.Id.ToString(), Guid.NewGuid());
        var subscription = new Subscription
        {
            Id = existing?.Id ?? Guid.NewGuid().ToString("N"),
            DatasetActor = actor.Id.ToString(),
            Handle = handle ?? (actor.PreferredUsername is { } p ? $"{p}@{actor.Id.Authority}" : null),
            Inbox = actor.Inbox.ToString(),
            Name = AsJson.String(actor.Document, "name"),
            FollowActivityId = follow["id"]!.GetValue<string>(),
            State = SubscriptionState.Pending,
            RequestedBy = requestedBy,
            Since = clock.GetUtcNow(),
        };
        subscriptions.Upsert(subscription);
        outbox.Send(ActorKeyring.NodeActor, follow, [actor.Inbox.ToString()]);
        return subscription;
    }

    public IReadOnlyList<Subscription> List() => subscriptions.List();

    public Subscription Get(string id) => subscriptions.Find(id) ?? throw new NotFoundException($"no subscription '{id}'");

    /// <summary>Unfollows: the peer is told (Undo of our Follow), the subscription and its replica are removed.</summary>
    public void Unfollow(string id)
    {
        var s = Get(id);
        if (s.State is SubscriptionState.Pending or SubscriptionState.Accepted)
        {
            var undo = FollowActivities.Undo(new FollowReference(s.FollowActivityId, uris.NodeActor, s.DatasetActor), Guid.NewGuid());
            outbox.Send(ActorKeyring.NodeActor, undo, [s.Inbox]);
        }
        replicas.Purge(s.Id);
        subscriptions.Remove(s.Id);
    }

    /// <summary>The owner accepted our Follow.</summary>
    public string OnAccept(string datasetActor, string? followId)
    {
        var s = subscriptions.FindByActor(datasetActor);
        if (s is null || (followId is not null && followId != s.FollowActivityId)) return "ignored: no such follow";
        if (s.State == SubscriptionState.Accepted) return "ignored: already accepted";
        subscriptions.Upsert(s with { State = SubscriptionState.Accepted, ChangedAt = clock.GetUtcNow(), Reason = null });
        return "subscription accepted";
    }

    /// <summary>The owner refused our Follow, or removed us as a follower: the replica is deleted.</summary>
    public string OnReject(string datasetActor, string? followId)
    {
        var s = subscriptions.FindByActor(datasetActor);
        if (s is null || (followId is not null && followId != s.FollowActivityId)) return "ignored: no such follow";
        var wasAccepted = s.State == SubscriptionState.Accepted;
        replicas.Purge(s.Id);
        subscriptions.Upsert(s with
        {
            State = wasAccepted ? SubscriptionState.Ended : SubscriptionState.Rejected,
            ChangedAt = clock.GetUtcNow(),
            Reason = wasAccepted ? "removed by the owner" : "refused by the owner",
        });
        return wasAccepted ? "subscription ended by the owner; replica deleted" : "subscription refused";
    }
}
