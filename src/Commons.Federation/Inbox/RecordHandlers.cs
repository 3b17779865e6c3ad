using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Inbox;

/// <summary>
/// Create, Update and Delete of records of a dataset we follow. Only what we asked for is stored: the signer must be
/// the dataset actor of an accepted subscription, the object must be attributed to it and live under its URL; a
/// change is applied only if its revision is newer than the replica's (order and duplicates do not matter).
/// </summary>
public sealed class RecordChangeHandler(string type, ISubscriptionStore subscriptions, IReplicaStore replicas, TimeProvider clock) : IActivityHandler
{
    public string Type => type;

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) => Task.FromResult(Handle(activity));

    private string Handle(InboxActivity activity)
    {
        var subscription = subscriptions.FindByActor(activity.ActorUri);
        if (subscription is not { State: SubscriptionState.Accepted }) return "refused: we do not follow this actor";
        var obj = activity.Object;
        var objectId = AsJson.Id(obj);
        var prefix = activity.ActorUri.TrimEnd('/') + "/records/";
        if (objectId is null || !objectId.StartsWith(prefix, StringComparison.Ordinal)) return "refused: the object is not one of this dataset's records";
        var recordId = Uri.UnescapeDataString(objectId[prefix.Length..]);
        if (recordId.Length == 0 || recordId.Contains('/')) return "refused: malformed record id";
        var revision = obj.ValueKind == JsonValueKind.Object ? AsJson.Integer(obj, ActivityStreamsContext.Revision) : null;
        if (revision is null or < 1) return "refused: no revision";

        ReplicaRecord replica;
        if (type == "Delete")
        {
            replica = new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = recordId, ObjectUri = objectId, Revision = revision.Value,
                Deleted = true, ReceivedAt = clock.GetUtcNow(), ActivityId = activity.Id,
            };
        }
        else
        {
            if (AsJson.Id(obj, "attributedTo") != activity.ActorUri) return "refused: the record is attributed to another actor";
            var data = AsJson.Get(obj, ActivityStreamsContext.Data);
            if (data.ValueKind != JsonValueKind.Object) return "refused: no record data";
            replica = new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = recordId, ObjectUri = objectId, Revision = revision.Value,
                Data = data.Clone(), Name = AsJson.String(obj, "name"), ReceivedAt = clock.GetUtcNow(), ActivityId = activity.Id,
            };
        }
        return replicas.ApplyIfNewer(replica) ? $"applied revision {revision}" : $"ignored: revision {revision} is not newer";
    }
}
