namespace Commons.Core.Federation;

public enum FollowerState { Pending = 0, Accepted = 1 }

/// <summary>A remote actor (a peer node) that asked to follow one of our datasets, or was accepted.</summary>
public sealed record Follower
{
    public required string DatasetSlug { get; init; }
    public required string ActorUri { get; init; }
    public required string Inbox { get; init; }
    public string? SharedInbox { get; init; }
    /// <summary>The id of their Follow activity; Accept and Reject point at it.</summary>
    public required string FollowActivityId { get; init; }
    public FollowerState State { get; init; }
    public DateTimeOffset Since { get; init; }
    /// <summary>The steward who accepted a pending request; null when the policy accepted it (or it is still pending).</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>Where deliveries go: the shared inbox when the peer has one, so one delivery serves all its followers.</summary>
    public string DeliveryInbox => SharedInbox ?? Inbox;
    public string Host => new Uri(ActorUri).Authority.ToLowerInvariant();
}

public interface IFollowerStore
{
    Follower? Find(string datasetSlug, string actorUri);
    IReadOnlyList<Follower> List(string datasetSlug, FollowerState? state = null);
    void Upsert(Follower follower);
    bool Remove(string datasetSlug, string actorUri);
    /// <summary>Followers of any dataset whose delivery inbox is <paramref name="inbox"/> (a peer that is gone for good).</summary>
    IReadOnlyList<Follower> WithInbox(string inbox);
}
