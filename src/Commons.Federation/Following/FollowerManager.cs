using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Replication;

namespace Commons.Federation.Following;

/// <summary>
/// Our side of being followed: a peer's Follow answered by the dataset's policy, pending requests accepted or
/// refused by a steward, followers removed (a Reject of their Follow, as Mastodon does) or unfollowing (Undo).
/// A removal is a <see cref="Revocation"/>: recorded, with the follower's removal and the Reject's delivery, in one
/// transaction; the peer's confirmation that it purged its replica is recorded on it later.
/// This is the protocol path (the inbox, the fan-out's reassessment): no caller. Stewards act through
/// <see cref="FollowerService"/>, which decides who may.
/// </summary>
public sealed class FollowerManager(
    IDatasetStore datasets, IFollowerStore followers, IRevocationStore revocations, Outbox outbox, WorkSignal signal, ActivityUris uris,
    ObjectProofs proofs, TimeProvider clock)
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
                // A repeated Follow keeps the steward's approval (it matters if the policy goes back to approval).
                var previous = followers.Find(dataset.Slug, request.ActorUri);
                var approvedBy = previous is { State: FollowerState.Accepted } ? previous.ApprovedBy : null;
                followers.Upsert(follower with { State = FollowerState.Accepted, ApprovedBy = approvedBy });
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

    /// <summary>A pending request is accepted (by the steward <paramref name="approvedBy"/>): the peer is sent the Accept.</summary>
    public Follower Approve(Follower pending, string approvedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approvedBy);
        var accepted = pending with { State = FollowerState.Accepted, Since = clock.GetUtcNow(), ApprovedBy = approvedBy };
        followers.Upsert(accepted);
        SendAnswer("Accept", accepted);
        return accepted;
    }

    /// <summary>
    /// Withdraws an accepted follower's access: the revocation is recorded, the follower removed and a Reject of its
    /// Follow queued (signed by the dataset actor), all in one transaction. The peer must purge its replica and confirm.
    /// </summary>
    public Revocation Revoke(Follower follower, string reason)
    {
        var reject = proofs.Sign(follower.DatasetSlug,
            FollowActivities.Reject(new FollowReference(follower.FollowActivityId, follower.ActorUri, uris.DatasetActor(follower.DatasetSlug)), Guid.NewGuid()));
        var revocation = new Revocation
        {
            DatasetSlug = follower.DatasetSlug, ActorUri = follower.ActorUri, RevokedAt = clock.GetUtcNow(), Reason = reason,
            RejectActivityId = reject["id"]!.GetValue<string>(),
        };
        revocations.Revoke(revocation, outbox.Items(follower.DatasetSlug, reject, [follower.Inbox]));
        signal.Delivery.Set();
        return revocation;
    }

    /// <summary>Refuses a pending request (a steward's answer, or the dataset's policy no longer allows it): nothing was shared.</summary>
    public void RefusePending(Follower follower)
    {
        followers.Remove(follower.DatasetSlug, follower.ActorUri);
        SendAnswer("Reject", follower);
    }

    /// <summary>
    /// A follower confirms it purged its replica of <paramref name="datasetActor"/> (a <c>Remove</c> answering our Reject):
    /// recorded on the revocation the Reject named, else on the follower's latest unconfirmed one for that dataset.
    /// </summary>
    public string OnPurgeConfirmed(string actorUri, string datasetActor, string? inReplyTo, DateTimeOffset? published, string confirmationId)
    {
        var slug = uris.DatasetSlugOfActor(datasetActor);
        if (slug is null) return "ignored: not one of our datasets";
        var revocation = inReplyTo is null ? null : revocations.FindByReject(inReplyTo);
        if (revocation is not null && (revocation.DatasetSlug != slug || revocation.ActorUri != actorUri))
            return "refused: the Reject it answers was sent to someone else or for another dataset";
        revocation ??= revocations.Of(slug, actorUri).FirstOrDefault(r => !r.Confirmed);
        if (revocation is null) return "ignored: no revocation of this follower waits for a confirmation";
        if (revocation.Confirmed) return "ignored: already confirmed";
        // The peer says when it purged; a date in our future is not believed.
        var now = clock.GetUtcNow();
        var purgedAt = published is { } p && p <= now ? p : now;
        return revocations.Confirm(revocation.RejectActivityId, purgedAt, confirmationId)
            ? $"purge confirmed for {revocation.RejectActivityId}"
            : "ignored: already confirmed";
    }

    private void SendAnswer(string type, Follower follower)
    {
        var reference = new FollowReference(follower.FollowActivityId, follower.ActorUri, uris.DatasetActor(follower.DatasetSlug));
        var activity = type == "Accept" ? FollowActivities.Accept(reference, Guid.NewGuid()) : FollowActivities.Reject(reference, Guid.NewGuid());
        outbox.Send(follower.DatasetSlug, proofs.Sign(follower.DatasetSlug, activity), [follower.Inbox]);
    }
}
