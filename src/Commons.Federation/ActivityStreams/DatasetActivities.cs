using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Records;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// The activities a dataset actor publishes for its changes feed: <c>Create</c>/<c>Update</c> carrying the record's
/// Note, <c>Delete</c> carrying its Tombstone. The id is <c>{dataset}/changes/{seq}</c>, so the same change always
/// has the same id (peers de-duplicate on it).
/// </summary>
public static class DatasetActivities
{
    public static JsonObject Create(Dataset dataset, Change change, Record record, ActivityUris uris) =>
        WithNote("Create", dataset, change, record, uris);

    public static JsonObject Update(Dataset dataset, Change change, Record record, ActivityUris uris) =>
        WithNote("Update", dataset, change, record, uris);

    public static JsonObject Delete(Dataset dataset, Change change, string recordId, ActivityUris uris)
    {
        var activity = Envelope("Delete", dataset, change, uris);
        var tombstone = RecordObjects.Tombstone(recordId, dataset, uris, change.At);
        // The revision of the delete lets a replica order it against creates and updates that arrive out of order.
        if (change.Revision is { } revision) tombstone[ActivityStreamsContext.Revision] = revision;
        activity["object"] = tombstone;
        RecordObjects.Address(activity, dataset, uris);
        return activity;
    }

    /// <summary>
    /// The activity peers receive for one change, or null when the change sends nothing (a private dataset, a dataset
    /// settings change, a create or update of an unshared record). <paramref name="record"/> is the record's state
    /// after the change (null or a tombstone for a delete). A record that became shared is a Create; one that stopped
    /// being shared is a Delete (peers drop it), and so is any later change while it stays unshared (a peer that missed
    /// the first Delete still drops it); a record that was never shared sends nothing at all.
    /// </summary>
    public static JsonObject? ForChange(Dataset dataset, Change change, Record? record, ActivityUris uris)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(change);
        if (dataset.Policy == SharingPolicy.Private || change.RecordId is null) return null;
        var live = record is { Deleted: false, Shared: true };
        // Peers may hold a copy only of a record that was shared at some point; of the others they never hear, not even the id.
        var peersMayHoldIt = record is null || record.SharedOnce || record.Shared;
        return change.Kind switch
        {
            ChangeKind.Create or ChangeKind.RecordSharing when live => Create(dataset, change, record!, uris),
            ChangeKind.Update when live => Update(dataset, change, record!, uris),
            ChangeKind.Create or ChangeKind.Update or ChangeKind.RecordSharing or ChangeKind.Delete when !live && peersMayHoldIt
                => Delete(dataset, change, change.RecordId, uris),
            _ => null,
        };
    }

    /// <summary>An <c>Update</c> of the actor itself (new keys, title, policy), addressed like the dataset's records.
    /// Its id is <c>{dataset}/changes/{seq}</c> for a settings change of the feed, <c>{actor}#updates/{generation}</c>
    /// for a key rotation.</summary>
    public static JsonObject UpdateActor(Dataset dataset, JsonObject actorDocument, string id, DateTimeOffset at, ActivityUris uris)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(actorDocument);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var actor = uris.DatasetActor(dataset.Slug);
        var activity = ActivityStreamsContext.NewDocument();
        activity["id"] = id;
        activity["type"] = "Update";
        activity["actor"] = actor;
        activity["published"] = AsJson.FormatTime(at);
        var obj = (JsonObject)actorDocument.DeepClone();
        obj.Remove("@context");
        activity["object"] = obj;
        RecordObjects.Address(activity, dataset, uris);
        return activity;
    }

    private static JsonObject WithNote(string type, Dataset dataset, Change change, Record record, ActivityUris uris)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (change.RecordId is { } rid && rid != record.Id)
            throw new ArgumentException($"Change {change.Seq} is about record '{rid}', not '{record.Id}'.", nameof(record));
        var activity = Envelope(type, dataset, change, uris);
        activity["object"] = RecordObjects.Note(record, dataset, uris, withContext: false);
        RecordObjects.Address(activity, dataset, uris);
        return activity;
    }

    private static JsonObject Envelope(string type, Dataset dataset, Change change, ActivityUris uris)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(uris);
        if (dataset.Policy == SharingPolicy.Private) throw new InvalidOperationException($"Dataset '{dataset.Slug}' is private; it publishes nothing.");
        var activity = ActivityStreamsContext.NewDocument();
        activity["id"] = uris.Change(dataset.Slug, change.Seq);
        activity["type"] = type;
        activity["actor"] = uris.DatasetActor(dataset.Slug);
        activity["published"] = AsJson.FormatTime(change.At);
        return activity;
    }
}
