using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Exchanges;
using Commons.Federation.Http;

namespace Commons.Federation.Following;

/// <summary>
/// Our node following remote datasets: resolve a handle or URL, send the Follow from the node actor, record the
/// answer, unfollow (Undo) and drop the replica (unless <see cref="FederationOptions.KeepReplicaOnUnfollow"/>). When the
/// owner revokes an accepted follow, the replica is deleted and a signed confirmation (<c>Remove</c>) goes back.
/// </summary>
public sealed class SubscriptionManager(
    ISubscriptionStore subscriptions, IReplicaStore replicas, RemoteActorFetcher actors, RemoteDatasetLookup lookup,
    Outbox outbox, ActivityUris uris, TimeProvider clock, FederationOptions? options = null, WorkSignal? signal = null)
{
    private readonly bool _keepReplicaOnUnfollow = options?.KeepReplicaOnUnfollow ?? false;

    /// <summary>Follows <paramref name="target"/> (<c>slug@host</c>, <c>@slug@host</c> or the actor URL).</summary>
    public async Task<Subscription> FollowAsync(string target, string requestedBy, CancellationToken ct)
    {
        // The same lookup as a request's target: every failure is the target's fault, at "target"; only datasets.
        var actor = await lookup.FindAsync(target, "target", ct);
        var handle = AccountHandle.TryParse((target ?? "").Trim(), out var h) ? h.ToString() : null;

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
            NameMap = ActorDocuments.LanguageMapOf(actor.Document, "nameMap"),
            Policy = PolicyOf(actor),
            FollowActivityId = follow["id"]!.GetValue<string>(),
            State = SubscriptionState.Pending,
            RequestedBy = requestedBy,
            Since = clock.GetUtcNow(),
        };
        subscription = RemoteDatasetDisplay.Read(actor.Document).ApplyTo(subscription);
        subscriptions.Upsert(subscription);
        outbox.Send(ActorKeyring.NodeActor, follow, [actor.Inbox.ToString()]);
        return subscription;
    }

    /// <summary>
    /// Unfollows: the peer is told (Undo of our Follow), the subscription and its replica are removed. With
    /// <c>Federation:KeepReplicaOnUnfollow</c> the replica stays, under the subscription marked ended ("unfollowed");
    /// unfollowing a subscription that has already ended removes it and its replica.
    /// </summary>
    /// <returns>Whether the replica was kept.</returns>
    public bool Unfollow(string id)
    {
        var s = subscriptions.Find(id) ?? throw new NotFoundException($"no subscription '{id}'");
        // A stopped backfill is still an accepted follow at the owner's: it is told too, so it stops delivering.
        var live = s.State is SubscriptionState.Pending or SubscriptionState.Accepted or SubscriptionState.Stopped;
        if (live)
        {
            var undo = FollowActivities.Undo(new FollowReference(s.FollowActivityId, uris.NodeActor, s.DatasetActor), Guid.NewGuid());
            outbox.Send(ActorKeyring.NodeActor, undo, [s.Inbox]);
        }
        if (live && _keepReplicaOnUnfollow)
        {
            subscriptions.Upsert(s with { State = SubscriptionState.Ended, ChangedAt = clock.GetUtcNow(), Reason = "unfollowed" });
            return true;
        }
        replicas.Purge(s.Id);
        subscriptions.Remove(s.Id);
        return false;
    }

    /// <summary>
    /// A dataset we follow sent its actor anew (an Update of itself): the subscription shows its current name, policy,
    /// description, schema, display (title field, columns) and kind.
    /// A policy its owner tightened needs nothing here: if we may no longer follow, the owner's Reject says so.
    /// </summary>
    public string OnActorUpdated(RemoteActor actor)
    {
        var subscription = subscriptions.FindByActor(actor.Id.ToString());
        if (subscription is null) return "actor updated";
        var name = AsJson.String(actor.Document, "name");
        var nameMap = ActorDocuments.LanguageMapOf(actor.Document, "nameMap");
        var policy = PolicyOf(actor) ?? subscription.Policy;
        var display = RemoteDatasetDisplay.Read(actor.Document);
        if (name == subscription.Name && nameMap == subscription.NameMap && policy == subscription.Policy && display.IsKeptBy(subscription))
            return "actor updated; subscription unchanged";
        subscriptions.Upsert(display.ApplyTo(subscription with { Name = name, NameMap = nameMap, Policy = policy }));
        return "actor updated; subscription shows its new name, policy, description and display";
    }

    private static Commons.Core.Datasets.SharingPolicy? PolicyOf(RemoteActor actor) =>
        ActorDocuments.PolicyOf(AsJson.String(actor.Document, ActivityStreamsContext.Policy));

    /// <summary>The owner accepted our Follow.</summary>
    public string OnAccept(string datasetActor, string? followId)
    {
        var s = subscriptions.FindByActor(datasetActor);
        if (s is null || (followId is not null && followId != s.FollowActivityId)) return "ignored: no such follow";
        if (s.State == SubscriptionState.Accepted) return "ignored: already accepted";
        // Accepted: the whole dataset comes by backfill, from the first change on.
        subscriptions.Upsert(s with { State = SubscriptionState.Accepted, ChangedAt = clock.GetUtcNow(), Reason = null, BackfillAfter = 0, BackfillDone = false, BackfillDoneAt = null,
            BackfillFailures = 0, BackfillRetryAt = null, BackfillError = null });
        signal?.Backfill.Set();
        return "subscription accepted";
    }

    /// <summary>
    /// The owner refused our Follow, or removed us as a follower: the replica is deleted. A removal (the follow had been
    /// accepted) is answered with a signed confirmation of the purge: a <c>Remove</c> of the dataset actor from our node
    /// actor, <c>inReplyTo</c> the Reject (<paramref name="rejectId"/>), through the durable outbox.
    /// </summary>
    public async Task<string> OnRejectAsync(string datasetActor, string? followId, string? rejectId, CancellationToken ct)
    {
        var s = subscriptions.FindByActor(datasetActor);
        if (s is null || (followId is not null && followId != s.FollowActivityId)) return "ignored: no such follow";
        if (s.State == SubscriptionState.Rejected) return "ignored: already refused";
        if (s.State == SubscriptionState.Ended && s.Reason != "removed by the owner") return "ignored: the subscription has ended";
        var wasAccepted = s.State is SubscriptionState.Accepted or SubscriptionState.Stopped or SubscriptionState.Ended;
        var held = replicas.Count(s.Id);
        replicas.Purge(s.Id);
        if (s.State != SubscriptionState.Ended)
        {
            subscriptions.Upsert(s with
            {
                State = wasAccepted ? SubscriptionState.Ended : SubscriptionState.Rejected,
                ChangedAt = clock.GetUtcNow(),
                Reason = wasAccepted ? "removed by the owner" : "refused by the owner",
                PurgedRecords = wasAccepted ? held : null,
            });
        }
        if (!wasAccepted) return "subscription refused";

        // Another Reject of a follow the owner already ended (it revoked us again, or re-sent): confirmed again.
        var confirmation = PurgeActivities.Confirmation(uris.NodeActor, s.DatasetActor, rejectId, clock.GetUtcNow(), Guid.NewGuid());
        outbox.Send(ActorKeyring.NodeActor, confirmation, [await ConfirmationInbox(s, ct)]);
        return s.State == SubscriptionState.Ended
            ? "already ended by the owner; replica deleted, purge confirmed again"
            : "subscription ended by the owner; replica deleted, purge confirmed";
    }

    /// <summary>
    /// Where the confirmation goes: the owner's shared inbox when its actor document says so (a dataset made private
    /// answers 404 at its own inbox), else the dataset's inbox.
    /// </summary>
    private async Task<string> ConfirmationInbox(Subscription s, CancellationToken ct)
    {
        try
        {
            var actor = await actors.FetchAsync(new Uri(s.DatasetActor), ct);
            return actor.DeliveryInbox.ToString();
        }
        catch (Exception e) when (e is RemoteActorException or FederationHttpException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return s.Inbox;
        }
    }
}
