namespace Commons.Core.Federation;

/// <summary>
/// Where our follow of a remote dataset stands. <see cref="Stopped"/>: accepted, but our node stopped its backfill for
/// good (the owner's actor or outbox is gone, is not a Commons dataset, or served a malformed feed again and again);
/// <see cref="Subscription.Reason"/> says why, the replica received so far stays until it is unfollowed.
/// </summary>
public enum SubscriptionState { Pending = 0, Accepted = 1, Rejected = 2, Ended = 3, Stopped = 4 }

/// <summary>Our node's follow of a remote dataset: what we asked for, and what we were answered.</summary>
public sealed record Subscription
{
    public required string Id { get; init; }
    /// <summary>The remote dataset's actor URI.</summary>
    public required string DatasetActor { get; init; }
    public string? Handle { get; init; }
    public required string Inbox { get; init; }
    public string? Name { get; init; }
    /// <summary>The remote dataset's name per language (<c>nameMap</c>) as its actor last said; null when it gave none.</summary>
    public Datasets.LocalizedText? NameMap { get; init; }
    /// <summary>The remote dataset's policy as its actor last said (<c>commons:policy</c>); null when it did not say.</summary>
    public Datasets.SharingPolicy? Policy { get; init; }
    /// <summary>The remote dataset's schema (<c>commons:schema</c>) as its actor last said, compact JSON; null when it gave none we keep (too large or too deep).</summary>
    public string? Schema { get; init; }
    /// <summary>The field that names the remote dataset's records (<c>commons:titleField</c>); null when its actor does not say.</summary>
    public string? TitleField { get; init; }
    /// <summary>The remote dataset's kind (<c>commons:kind</c>, <c>place.resources</c>) as its actor last said; null when it named none (custom, or followed before kinds were kept).</summary>
    public string? Kind { get; init; }
    /// <summary>The fields its stewards show as columns (<c>commons:columns</c>), in order; empty when its actor does not say.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    /// <summary>The remote dataset's description per language (<c>summaryMap</c>) as plain text; null when it gave none.</summary>
    public Datasets.LocalizedText? DescriptionMap { get; init; }
    /// <summary>The remote dataset's description (<c>summary</c>) as plain text, for a page whose language the map lacks.</summary>
    public string? Description { get; init; }
    public required string FollowActivityId { get; init; }
    public SubscriptionState State { get; init; }
    public required string RequestedBy { get; init; }
    public DateTimeOffset Since { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
    /// <summary>Why it ended or was refused, in a few words ("refused by the owner", "removed by the owner", "unfollowed").</summary>
    public string? Reason { get; init; }
    /// <summary>Backfill checkpoint: the origin's change sequence number up to which the replica has caught up.</summary>
    public long BackfillAfter { get; init; }
    /// <summary>The whole dataset has been received once (live deliveries keep it current from then on).</summary>
    public bool BackfillDone { get; init; }
    public DateTimeOffset? BackfillDoneAt { get; init; }
    /// <summary>Backfill rounds in a row that made no progress (the owner down, an error, a page that does not advance).</summary>
    public int BackfillFailures { get; init; }
    /// <summary>While backing off: the backfill is not tried again before this time.</summary>
    public DateTimeOffset? BackfillRetryAt { get; init; }
    /// <summary>Why the last backfill round made no progress (null once a page is applied).</summary>
    public string? BackfillError { get; init; }
    /// <summary>How many replicated records were deleted when the owner withdrew access (null: never withdrawn).</summary>
    public long? PurgedRecords { get; init; }
}

public interface ISubscriptionStore
{
    Subscription? Find(string id);
    Subscription? FindByActor(string datasetActor);
    IReadOnlyList<Subscription> List();
    void Upsert(Subscription subscription);
    void Remove(string id);
}
