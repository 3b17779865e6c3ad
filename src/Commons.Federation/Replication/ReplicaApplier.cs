using System.Text.Json;
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
        var (outcome, replica) = await PrepareAsync(subscription, activityJson, default, ct);
        if (replica is null) return outcome;
        return replicas.ApplyIfNewer(replica) ? $"applied revision {replica.Revision}" : $"ignored: revision {replica.Revision} is not newer";
    }

    /// <summary>
    /// Applies a backfill page whole: every item checked first (proofs on all cores, the CPU-heavy part), then the
    /// records and the subscription's checkpoint (<paramref name="last"/>, <paramref name="done"/>) stored in ONE
    /// transaction. One refused item refuses the page and nothing is stored: the checkpoint stays, so the page is asked
    /// for again rather than skipped.
    /// </summary>
    public Task<PageOutcome> ApplyPageAsync(Subscription subscription, IReadOnlyList<JsonElement> items, long last, bool done, CancellationToken ct) =>
        ApplyPageAsync(subscription, items, default, last, done, ct);

    /// <summary>The same for the items of a JSON page, which inherit its <paramref name="inheritedContext"/> when they have no @context of their own.</summary>
    public async Task<PageOutcome> ApplyPageAsync(Subscription subscription, IReadOnlyList<JsonElement> items, JsonElement inheritedContext, long last, bool done, CancellationToken ct)
    {
        var prepared = new (string Outcome, ReplicaRecord? Record)[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (i, token) => prepared[i] = await PrepareAsync(subscription, items[i], inheritedContext, token));
        for (var i = 0; i < prepared.Length; i++)
            if (prepared[i].Outcome.StartsWith("refused", StringComparison.Ordinal)) return new PageOutcome(null, i, prepared[i].Outcome);
        // Page order: two changes of one record in a page keep the newer, as one by one would.
        var records = prepared.Where(p => p.Record is not null).Select(p => p.Record!).ToList();
        var applied = replicas.ApplyPage(new ReplicaPage(subscription.Id, subscription.FollowActivityId, records, last, done, clock.GetUtcNow()));
        return new PageOutcome(applied, null, applied is null ? "ignored: the subscription no longer stands" : $"applied {applied} of {items.Count}");
    }

    /// <summary>Checks an activity (actor, object, revision, both proofs) and builds the replica it would store; the outcome says why not when it is null.</summary>
    private async Task<(string Outcome, ReplicaRecord? Record)> PrepareAsync(Subscription subscription, JsonElement activityJson, JsonElement inheritedContext, CancellationToken ct)
    {
        var actorUri = subscription.DatasetActor;
        if (AsJson.Id(activityJson, "actor") != actorUri) return ("refused: the activity is not the dataset's", null);
        var type = AsJson.Types(activityJson).FirstOrDefault(t => t is "Create" or "Update" or "Delete");
        if (type is null) return ("ignored: not a record change", null);
        var obj = AsJson.Get(activityJson, "object");
        var objectId = AsJson.Id(obj);
        var prefix = actorUri.TrimEnd('/') + "/records/";
        if (objectId is null || !objectId.StartsWith(prefix, StringComparison.Ordinal)) return ("refused: the object is not one of this dataset's records", null);
        var recordId = Uri.UnescapeDataString(objectId[prefix.Length..]);
        if (recordId.Length == 0 || recordId.Contains('/')) return ("refused: malformed record id", null);
        if (obj.ValueKind != JsonValueKind.Object) return ("refused: the record object is not embedded", null);
        var revision = AsJson.Integer(obj, ActivityStreamsContext.Revision);
        if (revision is null or < 1) return ("refused: no revision", null);

        // Both proofs, by the dataset's own key: the activity's and the record object's.
        var activityProof = await proofs.VerifyAsync(activityJson, inheritedContext, actorUri, ct);
        if (!activityProof.IsValid) return ($"refused: the activity's proof: {activityProof.Failure}", null);
        var objectProof = await proofs.VerifyAsync(obj, actorUri, ct);
        if (!objectProof.IsValid) return ($"refused: the record's proof: {objectProof.Failure}", null);
        // Its text as the origin sent it (what was signed is its canonical form, the same whatever the escapes): not written out again.
        var signedObject = obj.GetRawText();

        ReplicaRecord replica;
        if (type == "Delete")
        {
            replica = new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = recordId, ObjectUri = objectId, Revision = revision.Value, Deleted = true,
                ReceivedAt = clock.GetUtcNow(), ActivityId = AsJson.Id(activityJson, "id"),
                SignedObject = signedObject, ProofVerified = true,
            };
        }
        else
        {
            if (AsJson.Id(obj, "attributedTo") != actorUri) return ("refused: the record is attributed to another actor", null);
            var data = AsJson.Get(obj, ActivityStreamsContext.Data);
            if (data.ValueKind != JsonValueKind.Object) return ("refused: no record data", null);
            replica = new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = recordId, ObjectUri = objectId, Revision = revision.Value,
                Data = data.Clone(), Name = AsJson.String(obj, "name"), ReceivedAt = clock.GetUtcNow(), ActivityId = AsJson.Id(activityJson, "id"),
                SignedObject = signedObject, ProofVerified = true,
            };
        }
        return ("verified", replica);
    }
}

/// <summary>What became of a backfill page: the records stored (null when nothing was), or the first refused item and why.</summary>
public sealed record PageOutcome(int? Applied, int? RefusedAt, string Detail);
