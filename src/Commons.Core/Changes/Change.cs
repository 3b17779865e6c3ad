namespace Commons.Core.Changes;

public enum ChangeKind
{
    Create = 1,
    Update = 2,
    Delete = 3,
    /// <summary>A record's <c>shared</c> flag changed.</summary>
    RecordSharing = 4,
    /// <summary>The dataset's policy, allow-list or field exclusions changed.</summary>
    DatasetSharing = 5,
    /// <summary>What the dataset's actor shows peers changed: title, description, licence or schema.</summary>
    DatasetProfile = 6,
}

/// <summary>What a write wants appended to the feed; the store gives it its sequence number.</summary>
public sealed record ChangeDraft(ChangeKind Kind, string? RecordId, long? Revision, string? By, DateTimeOffset At);

/// <summary>One entry of a dataset's changes feed. <see cref="Seq"/> grows by one per dataset, with no gaps.</summary>
public sealed record Change(long Seq, ChangeKind Kind, string? RecordId, long? Revision, string? By, DateTimeOffset At);
