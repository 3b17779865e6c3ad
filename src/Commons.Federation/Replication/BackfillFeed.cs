using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Replication;

/// <summary>
/// The resumable backfill of a dataset for an accepted follower: pages of its changes feed after a sequence number.
/// A record appears once, at the change that gave it its current state (earlier changes of it are skipped, since the
/// state they carried is gone), as the same signed Create or Delete a live delivery would carry. A follower that
/// keeps the last sequence number of each page it applied resumes there after a crash and never misses a record:
/// every record whose state changed after that number has its current state at a later change.
/// </summary>
public sealed class BackfillFeed(IRecordStore records, IChangeFeed feed, ActivityUris uris, ObjectProofs proofs)
{
    public const int DefaultPageSize = 200;
    public const int MaxPageSize = 1000;

    /// <summary>One page: the activities (or record objects), the last sequence number it covers, and whether more follow.</summary>
    public sealed record Page(IReadOnlyList<JsonObject> Items, long Last, long? Next, long LastSeq);

    /// <summary>A page of signed activities (the JSON page and the v1 batch), each with its record object's proof and its own.</summary>
    public Page Read(Dataset dataset, long after, int limit) => Read(dataset, after, limit, recordObjectsOnly: false);

    /// <summary>
    /// A page of the signed record objects alone (the v2 batch, <see cref="BackfillBatch.RecordObjectsMediaType"/>): the same
    /// records at the same changes, each object exactly as its activity would embed it and with the same proof, but no
    /// activity around it and no second proof.
    /// </summary>
    public Page ReadRecordObjects(Dataset dataset, long after, int limit) => Read(dataset, after, limit, recordObjectsOnly: true);

    private Page Read(Dataset dataset, long after, int limit, bool recordObjectsOnly)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var changes = feed.Since(dataset.Key, Math.Max(0, after), limit);
        // The page's records in one read; each is kept only at the change that gave it its current state.
        var current = records.GetMany(dataset.Key, changes.Where(c => c.RecordId is not null).Select(c => c.RecordId!).ToList())
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        var built = new List<(JsonObject Item, RecordProofKey State)>(changes.Count);
        foreach (var change in changes)
        {
            if (change.RecordId is null || !current.TryGetValue(change.RecordId, out var record) || record.Seq != change.Seq) continue;
            var item = recordObjectsOnly
                ? DatasetActivities.RecordObjectForCurrentState(dataset, change, record, uris)
                : DatasetActivities.ForCurrentState(dataset, change, record, uris);
            if (item is not null)
                built.Add((item, new RecordProofKey(dataset.Key, dataset.Version, change.Seq, record.Id, record.Revision, record.UpdatedAt)));
        }
        // The eddsa-jcs-2022 proofs (two an activity, one a record object) are most of a page's cost: signed on all cores (or
        // written again from the proofs kept for the same record state by an earlier page), kept in feed order.
        proofs.ForgetRetiredProofs(dataset.Slug);
        var items = new JsonObject[built.Count];
        Parallel.For(0, built.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => items[i] = recordObjectsOnly
            ? proofs.SignRecordObject(dataset.Slug, built[i].Item, built[i].State)
            : proofs.SignActivity(dataset.Slug, built[i].Item, built[i].State));
        var last = changes.Count > 0 ? changes[^1].Seq : Math.Max(0, after);
        var lastSeq = feed.LastSeq(dataset.Key);
        return new Page(items, last, last < lastSeq ? last : null, lastSeq);
    }
}
