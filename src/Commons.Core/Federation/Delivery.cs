namespace Commons.Core.Federation;

/// <summary>One signed POST of one activity to one inbox, kept until it succeeds or is given up.</summary>
public sealed record DeliveryItem
{
    public required string Id { get; init; }
    public required string Inbox { get; init; }
    /// <summary>The actor that signs: "_node" or a dataset slug.</summary>
    public required string Sender { get; init; }
    public required string ActivityJson { get; init; }
    public string? ActivityType { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    /// <summary>Given up: in the dead-letter list until an administrator retries it.</summary>
    public bool Dead { get; init; }

    public string Host => new Uri(Inbox).Authority.ToLowerInvariant();
}

public interface IDeliveryQueue
{
    void Enqueue(IEnumerable<DeliveryItem> items);
    /// <summary>Live items whose time has come, oldest first.</summary>
    IReadOnlyList<DeliveryItem> Due(DateTimeOffset now, int limit);
    DeliveryItem? Find(string id);
    void Complete(string id);
    /// <summary>Removes delivered items in one write (a store that cannot, one by one).</summary>
    void Complete(IReadOnlyCollection<string> ids)
    {
        foreach (var id in ids) Complete(id);
    }
    void Update(DeliveryItem item);
    IReadOnlyList<DeliveryItem> List(bool dead, int limit);
    long CountPending();

    /// <summary>One page of live (<paramref name="dead"/> false) or given-up deliveries, oldest first, then by id.</summary>
    IReadOnlyList<DeliveryItem> Page(bool dead, int offset, int limit);
    long CountDead();
    /// <summary>Live deliveries that failed at least once and wait for another attempt ("in trouble").</summary>
    long CountRetrying();

    /// <summary>Deletes a dead letter for good (an administrator gave up on it); false when there is no such dead letter. Live deliveries are never discarded.</summary>
    bool Discard(string id);

    /// <summary>
    /// Makes every live delivery to an inbox on <paramref name="authority"/> (host and port) that waits past
    /// <paramref name="now"/> due at <paramref name="now"/> (the host answers again); returns how many.
    /// </summary>
    int BringForward(string authority, DateTimeOffset now);

    /// <summary>The last change of a dataset already turned into deliveries.</summary>
    long FanOutCursor(string datasetSlug);
    /// <summary>Enqueues the deliveries of a dataset's changes up to <paramref name="seq"/> and moves its cursor there, in one transaction.</summary>
    void EnqueueFanOut(string datasetSlug, long seq, IEnumerable<DeliveryItem> items);
}
