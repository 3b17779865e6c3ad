using Commons.Federation.Replication;

namespace Commons.Federation.Inbox;

/// <summary>
/// <c>Create{Note}</c>, <c>Update{Note}</c> (or <c>{Question}</c>), <c>Delete{Tombstone}</c>: a record of a dataset we follow changed; applied
/// to the replica by <see cref="ReplicaApplier"/>.
/// </summary>
public sealed class RecordChangeHandler(ReplicaApplier applier) : IActivityHandler
{
    // A kind may publish its records as another type (a committee proposal is a Question); the replica reads commons:data alike.
    public IReadOnlyList<ActivityKey> Handles { get; } =
        [new("Create", "Note"), new("Update", "Note"), new("Delete", "Tombstone"), new("Create", "Question"), new("Update", "Question")];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) => applier.ApplyAsync(activity.ActorUri, activity.Json, ct);
}
