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
        activity["object"] = TombstoneAt(dataset, change, recordId, uris);
        RecordObjects.Address(activity, dataset, uris);
        return activity;
    }

    /// <summary>The Tombstone a <c>Delete</c> at <paramref name="change"/> carries.</summary>
    private static JsonObject TombstoneAt(Dataset dataset, Change change, string recordId, ActivityUris uris)
    {
        var tombstone = RecordObjects.Tombstone(recordId, dataset, uris, change.At);
        // The revision of the delete lets a replica order it against creates and updates that arrive out of order.
        if (change.Revision is { } revision) tombstone[ActivityStreamsContext.Revision] = revision;
        return tombstone;
    }

    /// <summary>
    /// The activity a live delivery sends for one change (spec §6.1), or null when the change sends nothing (a private
    /// dataset, a dataset settings change, any change to an unshared record). <paramref name="record"/> is the record's state
    /// when sent, which may be newer than the change: a live record is sent as it is now (a Create for a create or a share,
    /// an Update for an update); a record peers may no longer hold is told to them once, by a <c>Delete</c> at the change
    /// that hid it (<see cref="Record.HiddenAtRevision"/>) — not again at each later change while it stays hidden, nor at
    /// an earlier change sent after it was hidden.
    /// </summary>
    public static JsonObject? ForChange(Dataset dataset, Change change, Record? record, ActivityUris uris)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(change);
        if (dataset.Policy == SharingPolicy.Private || change.RecordId is null) return null;
        if (record is { Deleted: false, Shared: true }) return Live(dataset, change, record, uris);
        var hidingChange = record?.HiddenAtRevision is { } hidden
            ? change.Revision == hidden
            // Hidden before the store kept the revision (or no state at all): every unshare or delete of a record that was shared tells peers.
            : change.Kind is ChangeKind.RecordSharing or ChangeKind.Delete && (record is null || record.SharedOnce);
        return hidingChange ? Delete(dataset, change, change.RecordId, uris) : null;
    }

    /// <summary>
    /// The activity a backfill page carries for a record at the change that gave it its current state (spec §10.2): the
    /// live record, else a <c>Delete</c> whenever peers may hold a copy — a follower resuming or resyncing may hold any
    /// earlier state, whichever change hid it.
    /// </summary>
    public static JsonObject? ForCurrentState(Dataset dataset, Change change, Record record, ActivityUris uris) =>
        CurrentStateOf(dataset, change, record) switch
        {
            CurrentState.Live => Live(dataset, change, record, uris),
            CurrentState.Hidden => Delete(dataset, change, change.RecordId!, uris),
            _ => null,
        };

    /// <summary>
    /// The record object alone (the Note or Tombstone, without <c>@context</c>) that <see cref="ForCurrentState"/>'s activity
    /// embeds, with the same members in the same order, or null when that gives no activity: the item of a v2 backfill batch
    /// (<see cref="Replication.BackfillBatch.RecordObjectsMediaType"/>).
    /// </summary>
    public static JsonObject? RecordObjectForCurrentState(Dataset dataset, Change change, Record record, ActivityUris uris) =>
        CurrentStateOf(dataset, change, record) switch
        {
            CurrentState.Live when change.Kind is ChangeKind.Create or ChangeKind.RecordSharing or ChangeKind.Update => NoteAt(change, record, dataset, uris),
            CurrentState.Hidden => TombstoneAt(dataset, change, change.RecordId!, uris),
            _ => null,
        };

    private enum CurrentState { Untold, Live, Hidden }

    /// <summary>What a backfill tells of a record at the change that gave it its current state (one decision for the
    /// activity and for the record object alone).</summary>
    private static CurrentState CurrentStateOf(Dataset dataset, Change change, Record record)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(record);
        if (dataset.Policy == SharingPolicy.Private || change.RecordId is null) return CurrentState.Untold;
        if (record is { Deleted: false, Shared: true }) return CurrentState.Live;
        // Peers may hold a copy only of a record that was shared at some point; of the others they never hear, not even the id.
        return record.SharedOnce || record.Shared ? CurrentState.Hidden : CurrentState.Untold;
    }

    private static JsonObject? Live(Dataset dataset, Change change, Record record, ActivityUris uris) => change.Kind switch
    {
        ChangeKind.Create or ChangeKind.RecordSharing => Create(dataset, change, record, uris),
        ChangeKind.Update => Update(dataset, change, record, uris),
        _ => null,
    };

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
        var activity = Envelope(type, dataset, change, uris);
        activity["object"] = NoteAt(change, record, dataset, uris);
        RecordObjects.Address(activity, dataset, uris);
        return activity;
    }

    /// <summary>The record's Note as a change's activity embeds it; the change must be about that record.</summary>
    private static JsonObject NoteAt(Change change, Record record, Dataset dataset, ActivityUris uris)
    {
        if (change.RecordId is { } rid && rid != record.Id)
            throw new ArgumentException($"Change {change.Seq} is about record '{rid}', not '{record.Id}'.", nameof(record));
        return RecordObjects.Note(record, dataset, uris, withContext: false);
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
