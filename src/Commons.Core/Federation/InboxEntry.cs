namespace Commons.Core.Federation;

/// <summary>A verified incoming activity, stored before it is acknowledged and processed off the request path.</summary>
public sealed record InboxEntry
{
    public required string ActivityId { get; init; }
    public required string ActorUri { get; init; }
    public required string Json { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public bool Processed { get; init; }
    public string? Outcome { get; init; }
}

public interface IInboxStore
{
    /// <summary>False when an activity with this id was received before (it is not processed twice).</summary>
    bool TryAdd(InboxEntry entry);
    /// <summary>
    /// Stores several received activities in one transaction, in the order given; for each, false when its id was received
    /// before (by an earlier entry of the same list too). All are stored or, if it throws, none.
    /// </summary>
    IReadOnlyList<bool> TryAddMany(IReadOnlyList<InboxEntry> entries);
    IReadOnlyList<InboxEntry> Unprocessed(int limit);
    void MarkProcessed(string activityId, string outcome);
}
