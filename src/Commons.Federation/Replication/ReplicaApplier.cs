using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Replication;

/// <summary>
/// Applies a dataset's Create, Update or Delete to our replica of it — from the inbox or from a backfill page alike.
/// Only what we asked for is stored: the actor must be the dataset of an accepted subscription, the object must live
/// under its URL (and be attributed to it), the activity and its record object must carry valid FEP-8b32 proofs by
/// that dataset's key, and the change is applied only if its revision is newer than the replica's, so order and
/// duplicates do not matter.
/// </summary>
public sealed class ReplicaApplier(ISubscriptionStore subscriptions, IReplicaStore replicas, ProofVerifier proofs, TimeProvider clock)
{

    public async Task<string> ApplyAsync(string actorUri, JsonElement activityJson, CancellationToken ct)
    {
        var subscription = subscriptions.FindByActor(actorUri);
        if (subscription is not { State: SubscriptionState.Accepted }) return "refused: we do not follow this actor";
        return await ApplyAsync(subscription, activityJson, ct);
    }

    public async Task<string> ApplyAsync(Subscription subscription, JsonElement activityJson, CancellationToken ct)
    {
        var actorUri = subscription.DatasetActor;
        if (AsJson.Id(activityJson, "actor") != actorUri) return "refused: the activity is not the dataset's";
        var type = AsJson.Types(activityJson).FirstOrDefault(t => t is "Create" or "Update" or "Delete");
        if (type is null) return "ignored: not a record change";
        var obj = AsJson.Get(activityJson, "object");
        var objectId = AsJson.Id(obj);
        var prefix = actorUri.TrimEnd('/') + "/records/";
        if (objectId is null || !objectId.StartsWith(prefix, StringComparison.Ordinal)) return "refused: the object is not one of this dataset's records";
        var recordId = Uri.UnescapeDataString(objectId[prefix.Length..]);
        if (recordId.Length == 0 || recordId.Contains('/')) return "refused: malformed record id";
        if (obj.ValueKind != JsonValueKind.Object) return "refused: the record object is not embedded";
        var revision = AsJson.Integer(obj, ActivityStreamsContext.Revision);
        if (revision is null or < 1) return "refused: no revision";

        // Both proofs, by the dataset's own key: the activity's and the record object's.
        var activityNode = ProofVerifier.AsObject(activityJson)!;
        var activityProof = await proofs.VerifyAsync(activityNode, actorUri, ct);
        if (!activityProof.IsValid) return $"refused: the activity's proof: {activityProof.Failure}";
        var objectNode = ProofVerifier.AsObject(obj)!;
        var objectProof = await proofs.VerifyAsync(objectNode, actorUri, ct);
        if (!objectProof.IsValid) return $"refused: the record's proof: {objectProof.Failure}";

        ReplicaRecord replica;
        if (type == "Delete")
        {
            replica = new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = recordId, ObjectUri = objectId, Revision = revision.Value, Deleted = true,
                ReceivedAt = clock.GetUtcNow(), ActivityId = AsJson.Id(activityJson, "id"),
                SignedObject = objectNode.ToJsonString(ActivityStreamsContext.WireOptions), ProofVerified = true,
            };
        }
        else
        {
            if (AsJson.Id(obj, "attributedTo") != actorUri) return "refused: the record is attributed to another actor";
            var data = AsJson.Get(obj, ActivityStreamsContext.Data);
            if (data.ValueKind != JsonValueKind.Object) return "refused: no record data";
            replica = new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = recordId, ObjectUri = objectId, Revision = revision.Value,
                Data = data.Clone(), Name = AsJson.String(obj, "name"), ReceivedAt = clock.GetUtcNow(), ActivityId = AsJson.Id(activityJson, "id"),
                SignedObject = objectNode.ToJsonString(ActivityStreamsContext.WireOptions), ProofVerified = true,
            };
        }
        return replicas.ApplyIfNewer(replica) ? $"applied revision {revision}" : $"ignored: revision {revision} is not newer";
    }
}
