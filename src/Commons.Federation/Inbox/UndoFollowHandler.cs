using Commons.Federation.ActivityStreams;
using Commons.Federation.Following;

namespace Commons.Federation.Inbox;

/// <summary><c>Undo{Follow}</c>: a peer withdraws its Follow of one of our datasets.</summary>
public sealed class UndoFollowHandler(FollowerManager followers) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Undo", "Follow")];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
    {
        var inner = activity.Object;
        // The embedded Follow must be the signer's own.
        if (AsJson.Id(inner, "actor") is { } followActor && followActor != activity.ActorUri) return Task.FromResult("refused: the Follow is someone else's");
        return Task.FromResult(followers.OnUndoFollow(activity.ActorUri, AsJson.Id(inner, "object") ?? "", AsJson.Id(inner)));
    }
}
