using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Replication;

/// <summary>
/// Applies a dataset's Create, Update or Delete to our replica of it — from the inbox or from a backfill page alike.
/// Only what we asked for is stored: the actor must be the dataset of an accepted subscription, the object must live
/// under its URL (and be attributed to it), the activity and its record object must carry valid FEP-8b32 proofs by
/// that dataset's key (a v2 backfill batch carries the signed record objects alone: theirs is the one proof), and the
/// change is applied only if its revision is newer than the replica's, so order and duplicates do not matter.
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
    public Task<PageOutcome> ApplyPageAsync(Subscription subscription, IReadOnlyList<JsonElement> items, JsonElement inheritedContext, long last, bool done, CancellationToken ct) =>
        ApplyPageAsync(subscription, items, last, done, (item, token) => PrepareAsync(subscription, item, inheritedContext, token), ct);

    /// <summary>
    /// The same for a v2 batch (<see cref="BackfillBatch.RecordObjectsMediaType"/>), whose items are the dataset's signed
    /// record objects alone: each one's proof by the dataset's key is the one check, and all that is stored comes from the object.
    /// </summary>
    public Task<PageOutcome> ApplyRecordObjectPageAsync(Subscription subscription, IReadOnlyList<JsonElement> items, long last, bool done, CancellationToken ct) =>
        ApplyPageAsync(subscription, items, last, done, (item, token) => PrepareRecordObjectAsync(subscription, item, token), ct);

    private async Task<PageOutcome> ApplyPageAsync(Subscription subscription, IReadOnlyList<JsonElement> items, long last, bool done,
        Func<JsonElement, CancellationToken, Task<(string Outcome, ReplicaRecord? Record)>> prepare, CancellationToken ct)
    {
        var prepared = new (string Outcome, ReplicaRecord? Record)[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (i, token) => prepared[i] = await prepare(items[i], token));
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
        var record = RecordOf(actorUri, obj);
        if (record.Refused is { } refused) return (refused, null);

        // Both proofs, by the dataset's own key: the activity's and the record object's.
        var activityProof = await proofs.VerifyAsync(activityJson, inheritedContext, actorUri, ct);
        if (!activityProof.IsValid) return ($"refused: the activity's proof: {activityProof.Failure}", null);
        return await VerifiedReplicaAsync(subscription, obj, record, deleted: type == "Delete", AsJson.Id(activityJson, "id"), ct);
    }

    /// <summary>
    /// Checks a record object of a v2 batch (its place in the dataset, its revision, its one proof) and builds the replica it
    /// would store. Whether the record is deleted follows from its signed type (a Tombstone), not from an activity around
    /// it; no activity id is stored, since none was signed.
    /// </summary>
    private async Task<(string Outcome, ReplicaRecord? Record)> PrepareRecordObjectAsync(Subscription subscription, JsonElement obj, CancellationToken ct)
    {
        var record = RecordOf(subscription.DatasetActor, obj);
        if (record.Refused is { } refused) return (refused, null);
        // A live record is a Note, or the shape its dataset's kind gives it (a Question, §11.6); a live one must still carry
        // its attribution and data (checked after the proof, as for an activity's object).
        var deleted = AsJson.HasType(obj, "Tombstone");
        return await VerifiedReplicaAsync(subscription, obj, record, deleted, activityId: null, ct);
    }

    /// <summary>Where a record object says it belongs: its id under the dataset's URL, and its revision; or why it cannot be one of the dataset's records.</summary>
    private readonly record struct RecordPlace(string? Refused, string ObjectId = "", string RecordId = "", long Revision = 0);

    private static RecordPlace RecordOf(string actorUri, JsonElement obj)
    {
        var objectId = AsJson.Id(obj);
        var prefix = actorUri.TrimEnd('/') + "/records/";
        if (objectId is null || !objectId.StartsWith(prefix, StringComparison.Ordinal)) return new("refused: the object is not one of this dataset's records");
        var recordId = Uri.UnescapeDataString(objectId[prefix.Length..]);
        if (recordId.Length == 0 || recordId.Contains('/')) return new("refused: malformed record id");
        if (obj.ValueKind != JsonValueKind.Object) return new("refused: the record object is not embedded");
        var revision = AsJson.Integer(obj, ActivityStreamsContext.Revision);
        if (revision is null or < 1) return new("refused: no revision");
        return new(null, objectId, recordId, revision.Value);
    }

    /// <summary>The record object's proof by the dataset's own key checked, then the replica built from the signed object.</summary>
    private async Task<(string Outcome, ReplicaRecord? Record)> VerifiedReplicaAsync(Subscription subscription, JsonElement obj, RecordPlace place, bool deleted, string? activityId, CancellationToken ct)
    {
        var actorUri = subscription.DatasetActor;
        var objectProof = await proofs.VerifyAsync(obj, actorUri, ct);
        if (!objectProof.IsValid) return ($"refused: the record's proof: {objectProof.Failure}", null);
        // Its text as the origin sent it (what was signed is its canonical form, the same whatever the escapes): not written out again.
        var signedObject = obj.GetRawText();
        if (deleted)
        {
            return ("verified", new ReplicaRecord
            {
                SubscriptionId = subscription.Id, RecordId = place.RecordId, ObjectUri = place.ObjectId, Revision = place.Revision, Deleted = true,
                ReceivedAt = clock.GetUtcNow(), ActivityId = activityId, SignedObject = signedObject, ProofVerified = true,
            });
        }
        if (AsJson.Id(obj, "attributedTo") != actorUri) return ("refused: the record is attributed to another actor", null);
        var data = AsJson.Get(obj, ActivityStreamsContext.Data);
        if (data.ValueKind != JsonValueKind.Object) return ("refused: no record data", null);
        return ("verified", new ReplicaRecord
        {
            SubscriptionId = subscription.Id, RecordId = place.RecordId, ObjectUri = place.ObjectId, Revision = place.Revision,
            Data = data.Clone(), Name = AsJson.String(obj, "name"), ReceivedAt = clock.GetUtcNow(), ActivityId = activityId,
            SignedObject = signedObject, ProofVerified = true,
        });
    }
}

/// <summary>What became of a backfill page: the records stored (null when nothing was), or the first refused item and why.</summary>
public sealed record PageOutcome(int? Applied, int? RefusedAt, string Detail);
