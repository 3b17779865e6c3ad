using Commons.Core.Changes;
using System.Text.Json;

namespace Commons.Core.Records;

/// <summary>A record of a dataset, or its tombstone once deleted.</summary>
public sealed record Record
{
    /// <summary>Stable URL-safe id, unique within its dataset.</summary>
    public required string Id { get; init; }
    /// <summary>Grows by one with each change, tombstones included.</summary>
    public long Revision { get; init; }
    /// <summary>The record's body; default (Undefined) for a tombstone.</summary>
    public JsonElement Data { get; init; }
    /// <summary>Unshared records never federate.</summary>
    public bool Shared { get; init; } = true;
    /// <summary>Whether the record was ever shared: only then may peers hold a copy to be told to drop.</summary>
    public bool SharedOnce { get; init; }
    /// <summary>
    /// The revision at which peers were last to drop the record: it stopped being shared, or was deleted while shared
    /// (null if that never happened, or happened before this was kept). Only that change sends peers a <c>Delete</c>.
    /// </summary>
    public long? HiddenAtRevision { get; init; }
    public bool Deleted { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    /// <summary>The sequence number of the change that gave the record this state (set by the store).</summary>
    public long Seq { get; init; }

    public string ETag => $"\"{Revision}\"";
}

/// <summary>The outcome of deciding a write: the record's new state and what the feed should say.</summary>
public sealed record RecordMutation(Record NewState, ChangeDraft Change);
