namespace Commons.Core.Federation;

/// <summary>Why a follower lost its access to a dataset, in the words the API and CLI show.</summary>
public static class RevocationReasons
{
    public const string RemovedByASteward = "removed by a steward";
    public const string DatasetBecamePrivate = "the dataset became private";
    public const string PolicyChangedToApproval = "policy changed to approval";
    public const string NotOnTheAllowList = "no longer on the allow-list";
}

/// <summary>
/// One withdrawal of consent: an accepted follower of one of our datasets was removed (by a steward, or by a policy
/// change that no longer allows it) and told with a Reject of its Follow. The peer deletes its replica and answers
/// with a signed confirmation (a <c>Remove</c> whose <c>inReplyTo</c> is the Reject), recorded here.
/// </summary>
public sealed record Revocation
{
    public required string DatasetSlug { get; init; }
    /// <summary>The follower's actor (a peer's node actor).</summary>
    public required string ActorUri { get; init; }
    public DateTimeOffset RevokedAt { get; init; }
    /// <summary>One of <see cref="RevocationReasons"/>.</summary>
    public required string Reason { get; init; }
    /// <summary>The id of the Reject sent to the follower; unique, it identifies the revocation.</summary>
    public required string RejectActivityId { get; init; }
    /// <summary>When the follower says it deleted its replica; null until it confirms.</summary>
    public DateTimeOffset? PurgedAt { get; init; }
    /// <summary>The id of the follower's confirmation activity.</summary>
    public string? ConfirmationId { get; init; }

    public bool Confirmed => ConfirmationId is not null;
    public string Host => new Uri(ActorUri).Authority.ToLowerInvariant();
}

public interface IRevocationStore
{
    /// <summary>
    /// Records <paramref name="revocation"/>, removes the follower it names and enqueues <paramref name="rejectDeliveries"/>
    /// (the Reject of its Follow) in one transaction: the follower is never gone without the peer being told, nor told twice.
    /// </summary>
    void Revoke(Revocation revocation, IEnumerable<DeliveryItem> rejectDeliveries);

    Revocation? FindByReject(string rejectActivityId);

    /// <summary>The revocations of one dataset, newest first.</summary>
    IReadOnlyList<Revocation> List(string datasetSlug);

    /// <summary>The revocations of one follower of one dataset, newest first.</summary>
    IReadOnlyList<Revocation> Of(string datasetSlug, string actorUri);

    /// <summary>Records the follower's confirmation that it purged its replica; false if the revocation is unknown or already confirmed.</summary>
    bool Confirm(string rejectActivityId, DateTimeOffset purgedAt, string confirmationId);
}
