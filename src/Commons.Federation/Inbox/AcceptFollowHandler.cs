using Commons.Federation.Following;

namespace Commons.Federation.Inbox;

/// <summary><c>Accept{Follow}</c>: the owner of a dataset we asked to follow accepts (the Follow embedded or named by its id).</summary>
public sealed class AcceptFollowHandler(SubscriptionManager subscriptions) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Accept", "Follow"), new("Accept", ActivityKey.Reference)];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) =>
        Task.FromResult(subscriptions.OnAccept(activity.ActorUri, activity.ObjectId));
}
