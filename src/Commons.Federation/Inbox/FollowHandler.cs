using Commons.Federation.ActivityStreams;
using Commons.Federation.Following;
using Commons.Federation.Http;

namespace Commons.Federation.Inbox;

/// <summary><c>Follow{dataset actor}</c>: a peer asks to follow one of our datasets.</summary>
public sealed class FollowHandler(FollowerManager followers, RemoteActorFetcher actors, ActivityUris uris) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Follow", ActivityKey.Reference), new("Follow", "Service")];

    public async Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        var slug = uris.DatasetSlugOfActor(activity.ObjectId);
        if (slug is null) return "ignored: the object is not one of our datasets";
        var actor = await actors.FetchAsync(new Uri(activity.ActorUri), ct);
        return followers.OnFollow(new FollowerManager.FollowRequest(slug, activity.ActorUri, actor.Inbox.ToString(), actor.SharedInbox?.ToString(), activity.Id));
    }
}
