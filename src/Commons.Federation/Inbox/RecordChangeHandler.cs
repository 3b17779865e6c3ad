using Commons.Federation.Replication;

namespace Commons.Federation.Inbox;

/// <summary>
/// <c>Create{Note}</c>, <c>Update{Note}</c>, <c>Delete{Tombstone}</c>: a record of a dataset we follow changed; applied
/// to the replica by <see cref="ReplicaApplier"/>.
/// </summary>
public sealed class RecordChangeHandler(ReplicaApplier applier) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Create", "Note"), new("Update", "Note"), new("Delete", "Tombstone")];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) => applier.ApplyAsync(activity.ActorUri, activity.Json, ct);
}
