using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;

namespace Commons.Federation.Following;

/// <summary>
/// Who follows a dataset, as its stewards see and answer it (API, pages, CLI), and the one place that decides who may:
/// the dataset's stewards (administrators included) with a credential that may write. A dataset the caller may not
/// know of is not found; one it may see but not steward, or a read-only token, is forbidden — as
/// <see cref="DatasetAccess.Require"/> decides for every dataset operation. The protocol side (a peer's Follow, Undo
/// and purge confirmation, the fan-out's reassessment) is <see cref="FollowerManager"/>'s and has no caller.
/// </summary>
public sealed class FollowerService(IDatasetStore datasets, IFollowerStore followers, IRevocationStore revocations, FollowerManager manager)
{
    /// <summary>The dataset whose followers the caller may manage; not found or forbidden otherwise.</summary>
    public Dataset Stewarded(Caller caller, string slug)
    {
        var dataset = datasets.Find(slug) ?? throw new NotFoundException($"no dataset '{slug}'");
        DatasetAccess.Require(caller, dataset, AccessLevel.Steward);
        return dataset;
    }

    /// <summary>Whether the caller may manage the followers of <paramref name="dataset"/> (pages ask before showing the way there).</summary>
    public static bool MayManage(Caller caller, Dataset dataset) =>
        caller.CanRead && caller.CanWrite && DatasetAccess.LevelOf(caller, dataset) == AccessLevel.Steward;

    public IReadOnlyList<Follower> List(Caller caller, string slug, FollowerState? state = null) =>
        followers.List(Stewarded(caller, slug).Slug, state);

    /// <summary>Followers removed or no longer allowed, and whether they confirmed deleting their replica.</summary>
    public IReadOnlyList<Revocation> Revocations(Caller caller, string slug) => revocations.List(Stewarded(caller, slug).Slug);

    /// <summary>The follow requests waiting for the caller across every dataset it may manage, oldest first.</summary>
    public IReadOnlyList<(Dataset Dataset, Follower Request)> PendingRequests(Caller caller) =>
        datasets.List().Where(d => MayManage(caller, d))
            .SelectMany(d => followers.List(d.Slug, FollowerState.Pending).Select(f => (d, f)))
            .OrderBy(p => p.f.Since).ToList();

    /// <summary>Accepts a pending request; the caller is recorded as the steward who approved it.</summary>
    public Follower Accept(Caller caller, string slug, string actorUri) =>
        manager.Approve(Pending(Stewarded(caller, slug), actorUri), caller.Username);

    public void Refuse(Caller caller, string slug, string actorUri) =>
        manager.RefusePending(Pending(Stewarded(caller, slug), actorUri));

    /// <summary>Removes an accepted follower: delivery stops and the peer is told (a Reject of its Follow).</summary>
    public Revocation Remove(Caller caller, string slug, string actorUri)
    {
        var dataset = Stewarded(caller, slug);
        var follower = followers.Find(dataset.Slug, actorUri);
        if (follower is null || follower.State != FollowerState.Accepted) throw new NotFoundException($"'{actorUri}' does not follow '{slug}'");
        return manager.Revoke(follower, RevocationReasons.RemovedByASteward);
    }

    private Follower Pending(Dataset dataset, string actorUri)
    {
        var follower = followers.Find(dataset.Slug, actorUri);
        if (follower is null || follower.State != FollowerState.Pending) throw new NotFoundException($"no pending request from '{actorUri}' for '{dataset.Slug}'");
        return follower;
    }
}
