using Commons.Core.Datasets;
using Commons.Core.Federation;

namespace Commons.Federation.Following;

/// <summary>What a policy change does to one follower.</summary>
public enum ReassessmentVerdict
{
    /// <summary>Still allowed: untouched.</summary>
    Keep,
    /// <summary>An accepted follower no longer allowed: removed, told (Reject), must purge its replica.</summary>
    Revoke,
    /// <summary>A pending request the policy can no longer grant: refused (Reject), as a steward would.</summary>
    Refuse,
}

/// <summary>
/// After a dataset's policy, allow-list or exclusions change (a <c>DatasetSharing</c> entry of its feed, met by the
/// fan-out), checks every follower against the new policy and revokes exactly those no longer allowed: public →
/// approval revokes the followers no steward approved; → peers those not on the allow-list; → private everyone.
/// Running it twice changes nothing the second time (revoked followers are gone).
/// </summary>
public sealed class FollowerReassessment(IFollowerStore followers, FollowerManager manager)
{
    public sealed record Outcome(int Revoked, int Refused);

    /// <summary>A follower the dataset's policy no longer keeps, what happens to it, and why (for revocations).</summary>
    public sealed record Assessment(Follower Follower, ReassessmentVerdict Verdict, string? Reason);

    public Outcome Reassess(Dataset dataset)
    {
        int revoked = 0, refused = 0;
        foreach (var a in Assess(dataset, followers.List(dataset.Slug)))
        {
            switch (a.Verdict)
            {
                case ReassessmentVerdict.Revoke:
                    manager.Revoke(a.Follower, a.Reason!);
                    revoked++;
                    break;
                case ReassessmentVerdict.Refuse:
                    manager.RefusePending(a.Follower);
                    refused++;
                    break;
            }
        }
        return new Outcome(revoked, refused);
    }

    /// <summary>
    /// What <see cref="Reassess"/> would do if <paramref name="proposed"/> (a dataset's settings not saved yet) were
    /// the dataset's settings now: the same rule over the same followers, nothing changed. Lets a steward see who
    /// would lose access before saving a policy change.
    /// </summary>
    public IReadOnlyList<Assessment> Preview(Dataset proposed) => Assess(proposed, followers.List(proposed.Slug));

    /// <summary>The followers the dataset's policy no longer keeps (revoked or refused), in the order given.</summary>
    public static IReadOnlyList<Assessment> Assess(Dataset dataset, IEnumerable<Follower> followers)
    {
        var found = new List<Assessment>();
        foreach (var follower in followers)
        {
            var (verdict, reason) = Decide(dataset, follower);
            if (verdict != ReassessmentVerdict.Keep) found.Add(new Assessment(follower, verdict, reason));
        }
        return found;
    }

    /// <summary>The verdict for one follower under the dataset's current policy, with the revocation's reason.</summary>
    public static (ReassessmentVerdict Verdict, string? Reason) Decide(Dataset dataset, Follower follower)
    {
        if (follower.State == FollowerState.Pending)
        {
            // A pending request waits for a steward; it is refused only when the policy could no longer grant it.
            return FollowPolicy.Decide(dataset, follower.Host) is FollowDecision.Reject or FollowDecision.Unknown
                ? (ReassessmentVerdict.Refuse, null)
                : (ReassessmentVerdict.Keep, null);
        }
        if (FollowPolicy.Allows(dataset, follower.Host, approvedByASteward: follower.ApprovedBy is not null))
            return (ReassessmentVerdict.Keep, null);
        return (ReassessmentVerdict.Revoke, dataset.Policy switch
        {
            SharingPolicy.Approval => RevocationReasons.PolicyChangedToApproval,
            SharingPolicy.Peers => RevocationReasons.NotOnTheAllowList,
            _ => RevocationReasons.DatasetBecamePrivate,
        });
    }
}
