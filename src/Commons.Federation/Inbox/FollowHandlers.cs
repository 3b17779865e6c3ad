using Commons.Federation.ActivityStreams;
using Commons.Federation.Following;
using Commons.Federation.Http;

namespace Commons.Federation.Inbox;

/// <summary>A peer asks to follow one of our datasets.</summary>
public sealed class FollowHandler(FollowerManager followers, RemoteActorFetcher actors, ActivityUris uris) : IActivityHandler
{
    public string Type => "Follow";

    public async Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        var slug = uris.DatasetSlugOfActor(activity.ObjectId);
        if (slug is null) return "ignored: the object is not one of our datasets";
        var actor = await actors.FetchAsync(new Uri(activity.ActorUri), ct);
        return followers.OnFollow(new FollowerManager.FollowRequest(slug, activity.ActorUri, actor.Inbox.ToString(), actor.SharedInbox?.ToString(), activity.Id));
    }
}

/// <summary>A peer withdraws its Follow of one of our datasets.</summary>
public sealed class UndoHandler(FollowerManager followers) : IActivityHandler
{
    public string Type => "Undo";

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        var inner = activity.Object;
        if (!AsJson.HasType(inner, "Follow")) return Task.FromResult("ignored: only Undo of a Follow is understood");
        // The embedded Follow must be the signer's own.
        if (AsJson.Id(inner, "actor") is { } followActor && followActor != activity.ActorUri) return Task.FromResult("refused: the Follow is someone else's");
        return Task.FromResult(followers.OnUndoFollow(activity.ActorUri, AsJson.Id(inner, "object") ?? "", AsJson.Id(inner)));
    }
}

/// <summary>The owner of a dataset we asked to follow accepts.</summary>
public sealed class AcceptHandler(SubscriptionManager subscriptions) : IActivityHandler
{
    public string Type => "Accept";

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) =>
        Task.FromResult(subscriptions.OnAccept(activity.ActorUri, activity.ObjectId));
}

/// <summary>The owner refuses our follow, or removes us: the replica goes, and a removal is confirmed (signed Remove).</summary>
public sealed class RejectHandler(SubscriptionManager subscriptions) : IActivityHandler
{
    public string Type => "Reject";

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) =>
        subscriptions.OnRejectAsync(activity.ActorUri, activity.ObjectId, activity.Id, ct);
}

/// <summary>
/// A former follower confirms it deleted its replica of one of our datasets: a <c>Remove</c> from its actor (the
/// signer) whose object is our dataset actor and whose <c>inReplyTo</c> is our Reject. Recorded on the revocation;
/// any other Remove is ignored.
/// </summary>
public sealed class RemoveHandler(FollowerManager followers, ActivityUris uris) : IActivityHandler
{
    public string Type => "Remove";

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        var datasetActor = activity.ObjectId;
        if (uris.DatasetSlugOfActor(datasetActor) is null) return Task.FromResult("ignored: the object is not one of our datasets");
        if (AsJson.Id(activity.Json, "actor") is { } actor && actor != activity.ActorUri) return Task.FromResult("refused: the actor is not the signer");
        return Task.FromResult(followers.OnPurgeConfirmed(
            activity.ActorUri, datasetActor!, AsJson.Id(activity.Json, "inReplyTo"), AsJson.DateTime(activity.Json, "published"), activity.Id));
    }
}
