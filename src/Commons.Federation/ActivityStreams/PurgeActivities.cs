using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// The follower's confirmation that it deleted its replica after the owner revoked its follow: a <c>Remove</c> from the
/// follower's node actor whose <c>object</c> is the dataset actor and whose <c>inReplyTo</c> is the owner's Reject.
/// Its id is <c>{nodeActor}#purges/{uuid}</c>.
/// </summary>
public static class PurgeActivities
{
    public static string PurgeId(string nodeActor, Guid id) => $"{nodeActor}#purges/{id:D}";

    public static JsonObject Confirmation(string nodeActor, string datasetActor, string? rejectId, DateTimeOffset published, Guid id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeActor);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetActor);
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = PurgeId(nodeActor, id);
        doc["type"] = "Remove";
        doc["actor"] = nodeActor;
        doc["object"] = datasetActor;
        if (!string.IsNullOrEmpty(rejectId)) doc["inReplyTo"] = rejectId;
        doc["published"] = AsJson.FormatTime(published);
        doc["to"] = new JsonArray(datasetActor);
        return doc;
    }
}
