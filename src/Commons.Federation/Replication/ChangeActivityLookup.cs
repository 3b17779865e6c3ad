using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Replication;

/// <summary>
/// What <c>{dataset}/changes/{seq}</c> resolves to: the signed activity peers receive for that change, built the way
/// the fan-out builds it (the record's or the actor's current state). A change of a record that is not shared now, or
/// of one that was never published, resolves to nothing, as the record itself does.
/// </summary>
public sealed class ChangeActivityLookup(IRecordStore records, IChangeFeed feed, ObjectProofs proofs, DatasetActorUpdates actorUpdates, ActivityUris uris)
{
    public JsonObject? Find(Dataset dataset, long seq)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (seq < 1 || dataset.Policy == SharingPolicy.Private) return null;
        var change = feed.Since(dataset.Key, seq - 1, 1) is [var first] && first.Seq == seq ? first : null;
        if (change is null) return null;
        if (DatasetActorUpdates.IsSettingsChange(change)) return actorUpdates.ForChange(dataset, change);
        var record = change.RecordId is null ? null : records.Get(dataset.Key, change.RecordId);
        if (record is not { Shared: true }) return null;
        return DatasetActivities.ForChange(dataset, change, record, uris) is { } activity ? proofs.SignActivity(dataset.Slug, activity) : null;
    }
}
