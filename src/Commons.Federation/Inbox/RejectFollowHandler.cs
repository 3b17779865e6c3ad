using Commons.Federation.Following;

namespace Commons.Federation.Inbox;

/// <summary>
/// <c>Reject{Follow}</c>: the owner refuses our follow, or removes us: the replica goes, and a removal is confirmed
/// (signed Remove).
/// </summary>
public sealed class RejectFollowHandler(SubscriptionManager subscriptions) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Reject", "Follow"), new("Reject", ActivityKey.Reference)];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) =>
        subscriptions.OnRejectAsync(activity.ActorUri, activity.ObjectId, activity.Id, ct);
}
