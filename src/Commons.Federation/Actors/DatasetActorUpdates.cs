using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Replication;

namespace Commons.Federation.Actors;

/// <summary>
/// The signed <c>Update</c> of a dataset's own actor its followers receive when what the actor shows changes: a
/// settings change of the feed (title, description, licence, schema, policy) or a key rotation. It carries the actor
/// as it is now, so followers need not fetch it again. <paramref name="viewsOf"/> names the views a kind publishes now
/// (read at each Update, not when built: the modules' views may need what needs this).
/// </summary>
public sealed class DatasetActorUpdates(ActorKeyring keys, ObjectProofs proofs, ActivityUris uris, Func<string, IReadOnlyList<string>>? viewsOf = null)
{
    /// <summary>The Update for a settings change of the feed (id <c>{dataset}/changes/{seq}</c>); null for a private dataset,
    /// which has no actor to show.</summary>
    public JsonObject? ForChange(Dataset dataset, Change change)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(change);
        if (!IsSettingsChange(change) || dataset.Policy == SharingPolicy.Private) return null;
        return Signed(dataset, uris.Change(dataset.Slug, change.Seq), change.At);
    }

    /// <summary>The Update announcing the keys of <paramref name="generation"/> (id <c>{actor}#updates/{generation}</c>).</summary>
    public JsonObject ForRotation(Dataset dataset, int generation, DateTimeOffset at) =>
        Signed(dataset, ActivityUris.ActorUpdateId(uris.DatasetActor(dataset.Slug), generation), at);

    /// <summary>Changes of the dataset itself rather than of a record: its followers are sent the actor.</summary>
    public static bool IsSettingsChange(Change change) =>
        change.RecordId is null && change.Kind is ChangeKind.DatasetSharing or ChangeKind.DatasetProfile;

    private JsonObject Signed(Dataset dataset, string id, DateTimeOffset at)
    {
        var actor = ActorDocuments.DatasetActor(dataset, uris, keys.PublicKeysOf(dataset.Slug), views: viewsOf?.Invoke(dataset.Kind));
        return proofs.Sign(dataset.Slug, DatasetActivities.UpdateActor(dataset, actor, id, at, uris));
    }
}
