using Commons.Federation.Replication;

namespace Commons.Federation.Inbox;

/// <summary>Create, Update and Delete of records of a dataset we follow: applied to the replica by <see cref="ReplicaApplier"/>.</summary>
public sealed class RecordChangeHandler(string type, ReplicaApplier applier) : IActivityHandler
{
    public string Type => type;

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) => applier.ApplyAsync(activity.ActorUri, activity.Json, ct);
}
