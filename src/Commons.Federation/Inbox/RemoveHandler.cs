using Commons.Federation.ActivityStreams;
using Commons.Federation.Following;

namespace Commons.Federation.Inbox;

/// <summary>
/// <c>Remove{dataset actor}</c>: a former follower confirms it deleted its replica of one of our datasets — a
/// <c>Remove</c> from its actor (the signer) whose object is our dataset actor and whose <c>inReplyTo</c> is our
/// Reject. Recorded on the revocation; any other Remove is ignored.
/// </summary>
public sealed class RemoveHandler(FollowerManager followers, ActivityUris uris) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Remove", ActivityKey.Reference), new("Remove", "Service")];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        var datasetActor = activity.ObjectId;
        if (uris.DatasetSlugOfActor(datasetActor) is null) return Task.FromResult("ignored: the object is not one of our datasets");
        if (AsJson.Id(activity.Json, "actor") is { } actor && actor != activity.ActorUri) return Task.FromResult("refused: the actor is not the signer");
        return Task.FromResult(followers.OnPurgeConfirmed(
            activity.ActorUri, datasetActor!, AsJson.Id(activity.Json, "inReplyTo"), AsJson.DateTime(activity.Json, "published"), activity.Id));
    }
}
