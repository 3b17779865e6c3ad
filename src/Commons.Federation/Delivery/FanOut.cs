using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Records;
using Commons.Core.Changes;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Following;
using Commons.Federation.Replication;

namespace Commons.Federation.Delivery;

/// <summary>
/// Turns each dataset's changes feed into deliveries to its accepted followers. The feed entry is written in the same
/// transaction as the change; here the deliveries of a batch of changes are enqueued in the same transaction that moves
/// the dataset's fan-out cursor past them — so every accepted change reaches the queue exactly once, across crashes.
/// </summary>
public sealed class FanOut(
    IDatasetStore datasets, IRecordStore records, IChangeFeed feed, IFollowerStore followers, IDeliveryQueue queue,
    Outbox outbox, ActivityUris uris, ObjectProofs proofs, DatasetActorUpdates actorUpdates, WorkSignal signal, FollowerReassessment? reassessment = null)
{
    public const int BatchSize = 200;

    /// <summary>Processes every dataset once; returns how many changes were fanned out.</summary>
    public int RunOnce()
    {
        var total = 0;
        foreach (var dataset in datasets.List())
            total += RunFor(dataset);
        if (total > 0) signal.Delivery.Set();
        return total;
    }

    public int RunFor(Dataset dataset)
    {
        var done = 0;
        while (true)
        {
            var cursor = queue.FanOutCursor(dataset.Slug);
            var changes = feed.Since(dataset.Key, cursor, BatchSize);
            if (changes.Count == 0) return done;
            // A policy change revokes the followers it no longer allows before anything more is sent (the dataset read
            // afresh: the change may be newer than the copy this round started with). Done again after a crash: harmless.
            if (reassessment is not null && changes.Any(c => c.Kind == ChangeKind.DatasetSharing))
                reassessment.Reassess(datasets.Find(dataset.Slug) ?? dataset);
            var inboxes = dataset.Policy == SharingPolicy.Private
                ? []
                : followers.List(dataset.Slug, FollowerState.Accepted).Select(f => f.DeliveryInbox).Distinct().ToList();
            var items = new List<DeliveryItem>();
            if (inboxes.Count > 0)
            {
                foreach (var change in changes)
                {
                    var record = change.RecordId is null ? null : records.Get(dataset.Key, change.RecordId);
                    // A later change of the same record sends the state anyway; revisions make older states harmless.
                    if (DatasetActivities.ForChange(dataset, change, record, uris) is { } activity)
                        items.AddRange(outbox.Items(dataset.Slug, proofs.SignActivity(dataset.Slug, activity), inboxes));
                }
                // Settings changes send the actor as it is now (read afresh), so one Update covers every one in the batch.
                if (changes.LastOrDefault(DatasetActorUpdates.IsSettingsChange) is { } settings
                    && actorUpdates.ForChange(datasets.Find(dataset.Slug) ?? dataset, settings) is { } update)
                    items.AddRange(outbox.Items(dataset.Slug, update, inboxes));
            }
            queue.EnqueueFanOut(dataset.Slug, changes[^1].Seq, items);
            done += changes.Count;
        }
    }
}
