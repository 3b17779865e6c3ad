using Commons.Core.Datasets;

namespace Commons.Core.Federation;

public enum FollowDecision
{
    /// <summary>The dataset does not exist for this peer (private): answer as if it were not there.</summary>
    Unknown,
    Accept,
    /// <summary>Wait for a steward.</summary>
    Pending,
    Reject,
}

/// <summary>What a dataset's sharing policy says to a peer node asking to follow it.</summary>
public static class FollowPolicy
{
    public static FollowDecision Decide(Dataset dataset, string peerHost) => dataset.Policy switch
    {
        SharingPolicy.Public => FollowDecision.Accept,
        SharingPolicy.Approval => FollowDecision.Pending,
        SharingPolicy.Peers => IsAllowedPeer(dataset, peerHost) ? FollowDecision.Accept : FollowDecision.Reject,
        _ => FollowDecision.Unknown,
    };

    /// <summary>May this peer (still) receive the dataset? Used for new follows and, later, to revoke followers after a policy change.</summary>
    public static bool Allows(Dataset dataset, string peerHost, bool approvedByASteward) => dataset.Policy switch
    {
        SharingPolicy.Public => true,
        SharingPolicy.Approval => approvedByASteward,
        SharingPolicy.Peers => IsAllowedPeer(dataset, peerHost),
        _ => false,
    };

    private static bool IsAllowedPeer(Dataset dataset, string peerHost) =>
        dataset.AllowedPeers.Contains(peerHost.ToLowerInvariant(), StringComparer.OrdinalIgnoreCase);
}
