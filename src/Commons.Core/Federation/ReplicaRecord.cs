using System.Text.Json;

namespace Commons.Core.Federation;

/// <summary>A record of a followed remote dataset, as received, with where it came from.</summary>
public sealed record ReplicaRecord
{
    public required string SubscriptionId { get; init; }
    public required string RecordId { get; init; }
    public required string ObjectUri { get; init; }
    public long Revision { get; init; }
    public JsonElement Data { get; init; }
    public bool Deleted { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The signed activity that brought this revision; none for a v2 backfill batch, whose items are the signed record objects alone (no activity was signed).</summary>
    public string? ActivityId { get; init; }
    /// <summary>The record object exactly as the origin signed it (with its FEP-8b32 proof), for export and offline checks.</summary>
    public string? SignedObject { get; init; }
    /// <summary>Whether the object's proof verified against the origin dataset's key when it was received.</summary>
    public bool ProofVerified { get; init; }
}

public interface IReplicaStore
{
    ReplicaRecord? Get(string subscriptionId, string recordId);
    /// <summary>Stores <paramref name="record"/> only if it is newer than what is held (older and duplicate changes are ignored).</summary>
    bool ApplyIfNewer(ReplicaRecord record);
    /// <summary>
    /// Stores a verified backfill page whole, in one transaction: each record only if newer (as <see cref="ApplyIfNewer"/>),
    /// and the subscription's checkpoint moved to the page's end. A crash leaves the page and its checkpoint both written
    /// or neither. Returns how many records were newer, or null, writing nothing, when the subscription no longer stands
    /// as the same accepted follow (a Reject or an unfollow came meanwhile).
    /// </summary>
    int? ApplyPage(ReplicaPage page);
    IReadOnlyList<ReplicaRecord> List(string subscriptionId, string? afterRecordId, int limit, string? textTerm = null);
    long Count(string subscriptionId);
    /// <summary>
    /// The changes received last (deletions included), newest first: of every followed dataset, or of one when
    /// <paramref name="subscriptionId"/> is given.
    /// </summary>
    IReadOnlyList<ReplicaRecord> RecentlyReceived(int limit, string? subscriptionId = null);
    /// <summary>Live records' ids and revisions, in id order (for the divergence digest).</summary>
    IEnumerable<(string RecordId, long Revision)> Revisions(string subscriptionId);
    void Purge(string subscriptionId);
}

/// <summary>A verified backfill page to store whole: its records and the checkpoint it moves the subscription to.</summary>
public sealed record ReplicaPage(string SubscriptionId, string FollowActivityId, IReadOnlyList<ReplicaRecord> Records, long Last, bool Done, DateTimeOffset At);
