using System.Text.Json.Nodes;

namespace Commons.Federation.ActivityStreams;

/// <summary>A Follow as Accept, Reject and Undo embed it: its id, who follows, what is followed.</summary>
public sealed record FollowReference(string Id, string Actor, string Object);

/// <summary>
/// Follow, Accept, Reject and Undo. A Follow's id is <c>{follower}#follows/{uuid}</c> and its object the dataset actor;
/// Accept, Reject and Undo embed the Follow (id, type, actor, object). A Reject of a Follow that was accepted removes
/// the follower (as Mastodon does).
/// </summary>
public static class FollowActivities
{
    public static JsonObject Follow(string followerActor, string datasetActor, Guid id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(followerActor);
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetActor);
        var follow = new FollowReference(ActivityUris.FollowId(followerActor, id), followerActor, datasetActor);
        var doc = ActivityStreamsContext.NewDocument();
        Fill(doc, follow);
        doc["to"] = new JsonArray(datasetActor);
        return doc;
    }

    /// <summary>The dataset actor (<see cref="FollowReference.Object"/>) accepts the follow.</summary>
    public static JsonObject Accept(FollowReference follow, Guid id) =>
        Answer("Accept", ActivityUris.AcceptId(follow.Object, id), follow);

    /// <summary>The dataset actor refuses the follow, or removes a follower it had accepted.</summary>
    public static JsonObject Reject(FollowReference follow, Guid id) =>
        Answer("Reject", ActivityUris.RejectId(follow.Object, id), follow);

    /// <summary>The follower withdraws its follow (unfollow).</summary>
    public static JsonObject Undo(FollowReference follow, Guid id)
    {
        Check(follow);
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = ActivityUris.UndoId(follow.Actor, id);
        doc["type"] = "Undo";
        doc["actor"] = follow.Actor;
        doc["object"] = Embedded(follow);
        doc["to"] = new JsonArray(follow.Object);
        return doc;
    }

    /// <summary>The Follow as embedded in Accept, Reject and Undo.</summary>
    public static JsonObject Embedded(FollowReference follow)
    {
        Check(follow);
        var obj = new JsonObject();
        Fill(obj, follow);
        return obj;
    }

    private static JsonObject Answer(string type, string id, FollowReference follow)
    {
        Check(follow);
        var doc = ActivityStreamsContext.NewDocument();
        doc["id"] = id;
        doc["type"] = type;
        doc["actor"] = follow.Object;
        doc["object"] = Embedded(follow);
        doc["to"] = new JsonArray(follow.Actor);
        return doc;
    }

    private static void Fill(JsonObject obj, FollowReference follow)
    {
        obj["id"] = follow.Id;
        obj["type"] = "Follow";
        obj["actor"] = follow.Actor;
        obj["object"] = follow.Object;
    }

    private static void Check(FollowReference follow)
    {
        ArgumentNullException.ThrowIfNull(follow);
        ArgumentException.ThrowIfNullOrWhiteSpace(follow.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(follow.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(follow.Object);
    }
}
