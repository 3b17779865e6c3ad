using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;

namespace Commons.Federation.Following;

/// <summary>
/// Our side of being followed: a peer's Follow answered by the dataset's policy, pending requests accepted or
/// refused by a steward, followers removed (a Reject of their Follow, as Mastodon does) or unfollowing (Undo).
/// </summary>
public sealed class FollowerManager(IDatasetStore datasets, IFollowerStore followers, Outbox outbox, ActivityUris uris, TimeProvider clock)
{
    public sealed record FollowRequest(string DatasetSlug, string ActorUri, string Inbox, string? SharedInbox, string FollowActivityId);

    /// <summary>Applies the dataset's policy to a Follow; returns what happened, in a few words.</summary>
    public string OnFollow(FollowRequest request)
    {
        var dataset = datasets.Find(request.DatasetSlug);
        if (dataset is null) return "ignored: no such dataset";
        var host = new Uri(request.ActorUri).Authority.ToLowerInvariant();
        var decision = FollowPolicy.Decide(dataset, host);
        var follower = new Follower
        {
            DatasetSlug = dataset.Slug, ActorUri = request.ActorUri, Inbox = request.Inbox, SharedInbox = request.SharedInbox,
            FollowActivityId = request.FollowActivityId, State = FollowerState.Pending, Since = clock.GetUtcNow(),
        };
        switch (decision)
        {
            case FollowDecision.Unknown:
                return "ignored: private dataset";
            case FollowDecision.Reject:
                SendAnswer("Reject", follower);
                return "rejected: not on the allow-list";
            case FollowDecision.Pending:
                var existing = followers.Find(dataset.Slug, request.ActorUri);
                if (existing is { State: FollowerState.Accepted })
                {
                    // Already accepted (a repeated Follow): confirm again.
                    followers.Upsert(existing with { FollowActivityId = request.FollowActivityId });
                    SendAnswer("Accept", existing with { FollowActivityId = request.FollowActivityId });
                    return "accepted again";
                }
                followers.Upsert(follower);
                return "pending: waits for a steward";
            default:
                followers.Upsert(follower with { State = FollowerState.Accepted });
                SendAnswer("Accept", follower);
                return "accepted";
        }
    }

    public string OnUndoFollow(string actorUri, string datasetActor, string? followId)
    {
        var slug = uris.DatasetSlugOfActor(datasetActor);
        if (slug is null) return "ignored: not one of our datasets";
        var follower = followers.Find(slug, actorUri);
        if (follower is null) return "ignored: not a follower";
        if (followId is not null && follower.FollowActivityId != followId && followId != datasetActor) { /* Mastodon may undo with another id; the actor decides */ }
        followers.Remove(slug, actorUri);
        return "unfollowed";
    }

    public IReadOnlyList<Follower> List(string slug, FollowerState? state) => followers.List(slug, state);

    /// <summary>A steward accepts a pending request.</summary>
    public Follower Accept(string slug, string actorUri)
    {
        var follower = Pending(slug, actorUri);
        var accepted = follower with { State = FollowerState.Accepted, Since = clock.GetUtcNow() };
        followers.Upsert(accepted);
        SendAnswer("Accept", accepted);
        return accepted;
    }

    /// <summary>A steward refuses a pending request.</summary>
    public void Refuse(string slug, string actorUri)
    {
        var follower = Pending(slug, actorUri);
        followers.Remove(slug, actorUri);
        SendAnswer("Reject", follower);
    }

    /// <summary>A steward removes an accepted follower: delivery stops and the peer is told (Reject of its Follow).</summary>
    public void Remove(string slug, string actorUri)
    {
        var follower = followers.Find(slug, actorUri);
        if (follower is null || follower.State != FollowerState.Accepted) throw new NotFoundException($"'{actorUri}' does not follow '{slug}'");
        followers.Remove(slug, actorUri);
        SendAnswer("Reject", follower);
    }

    private Follower Pending(string slug, string actorUri)
    {
        var follower = followers.Find(slug, actorUri);
        if (follower is null || follower.State != FollowerState.Pending) throw new NotFoundException($"no pending request from '{actorUri}' for '{slug}'");
        return follower;
    }

    private void SendAnswer(string type, Follower follower)
    {
        var reference = new FollowReference(follower.FollowActivityId, follower.ActorUri, uris.DatasetActor(follower.DatasetSlug));
        var activity = type == "Accept" ? FollowActivities.Accept(reference, Guid.NewGuid()) : FollowActivities.Reject(reference, Guid.NewGuid());
        outbox.Send(follower.DatasetSlug, activity, [follower.Inbox]);
    }
}
