using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Replication;

namespace Commons.Federation.Following;

/// <summary>A followed dataset with how many records its replica holds.</summary>
public sealed record FollowedDataset(Subscription Subscription, long Records);

/// <summary>
/// What the node follows, as its members use it (API, pages, CLI), and the one place that decides who may do what:
/// subscriptions are the node's, so every signed-in member sees them and their replicas; only a caller whose
/// credential may write follows, unfollows or verifies. The protocol side (the owner's Accept, Reject and actor
/// Update) is <see cref="SubscriptionManager"/>'s and has no caller.
/// </summary>
public sealed class SubscriptionService(
    SubscriptionManager manager, ISubscriptionStore subscriptions, IReplicaStore replicas, ReplicaCheck check, ReplicaExport export, WorkSignal signal)
{
    /// <summary>Whether the caller may follow, unfollow and verify (a read-only token may not): pages ask before showing the forms.</summary>
    public static bool MayChange(Caller caller) => caller.CanWrite;

    /// <summary>Follows <paramref name="target"/> (<c>slug@host</c>, <c>@slug@host</c> or the actor URL) on behalf of the caller.</summary>
    public Task<Subscription> FollowAsync(Caller caller, string target, CancellationToken ct)
    {
        RequireChange(caller);
        return manager.FollowAsync(target, caller.Username, ct);
    }

    /// <inheritdoc cref="SubscriptionManager.Unfollow"/>
    public bool Unfollow(Caller caller, string id)
    {
        RequireChange(caller);
        return manager.Unfollow(id);
    }

    /// <summary>Compares the replica with the origin's digest; a mismatch starts a resync at once.</summary>
    public async Task<ReplicaCheck.Outcome> VerifyAsync(Caller caller, string id, CancellationToken ct)
    {
        RequireChange(caller);
        var outcome = await check.VerifyAsync(id, ct);
        if (outcome.ResyncStarted) signal.Backfill.Set();
        return outcome;
    }

    public IReadOnlyList<Subscription> List(Caller caller)
    {
        RequireMember(caller);
        return subscriptions.List();
    }

    /// <summary>Every subscription with its replica's size, oldest subscription first.</summary>
    public IReadOnlyList<FollowedDataset> Overview(Caller caller) =>
        List(caller).Select(s => new FollowedDataset(s, replicas.Count(s.Id))).ToList();

    public Subscription Get(Caller caller, string id)
    {
        RequireMember(caller);
        return subscriptions.Find(id) ?? throw new NotFoundException($"no subscription '{id}'");
    }

    public FollowedDataset Followed(Caller caller, string id)
    {
        var s = Get(caller, id);
        return new FollowedDataset(s, replicas.Count(s.Id));
    }

    /// <summary>
    /// When a record of the subscription's replica last came (null: none yet). A sorted read of the replica, kept
    /// apart from <see cref="Followed"/>: API clients poll that one while a backfill writes.
    /// </summary>
    public DateTimeOffset? LastReceived(Caller caller, string id)
    {
        var s = Get(caller, id);
        return replicas.RecentlyReceived(1, s.Id).FirstOrDefault()?.ReceivedAt;
    }

    /// <summary>One page of a subscription's replica, by record id after <paramref name="after"/>; <paramref name="q"/> searches its text.</summary>
    public (Subscription Subscription, IReadOnlyList<ReplicaRecord> Records) Records(Caller caller, string id, string? after, int limit, string? q)
    {
        var s = Get(caller, id);
        return (s, replicas.List(s.Id, after, limit, q));
    }

    /// <summary>One record of a subscription's replica, deleted ones included (a link to it may outlive it); not found when never received.</summary>
    public (Subscription Subscription, ReplicaRecord Record) Record(Caller caller, string id, string recordId)
    {
        var s = Get(caller, id);
        return (s, replicas.Get(s.Id, recordId) ?? throw new NotFoundException($"no record '{recordId}' in subscription '{id}'"));
    }

    /// <summary>The records received last across every subscription, with the subscription each belongs to.</summary>
    public IReadOnlyList<(Subscription Subscription, ReplicaRecord Record)> RecentlyReceived(Caller caller, int count)
    {
        var byId = List(caller).ToDictionary(s => s.Id);
        return replicas.RecentlyReceived(count).Where(r => byId.ContainsKey(r.SubscriptionId)).Select(r => (byId[r.SubscriptionId], r)).ToList();
    }

    /// <summary>The replica with its proofs and the origin's keys, verifiable offline.</summary>
    public Task<JsonObject> ExportAsync(Caller caller, string id, CancellationToken ct)
    {
        RequireMember(caller);
        return export.BuildAsync(id, ct);
    }

    /// <summary>Refuses a caller that may not follow, unfollow or verify (endpoints ask before reading the body).</summary>
    public static void RequireChange(Caller caller)
    {
        RequireMember(caller);
        DatasetAccess.RequireWrite(caller);
    }

    // Reading asks nothing beyond being a member: what the node follows is no secret among its members.
    private static void RequireMember(Caller caller) => ArgumentNullException.ThrowIfNull(caller);
}
