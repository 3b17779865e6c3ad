using System.Text.Json;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Inbox;

/// <summary>
/// What a handler answers: an activity type and the type of its object. An object that is only a URL (or absent) is
/// <see cref="Reference"/>: a Follow names the dataset actor by id, and some servers answer a Follow by its id alone.
/// </summary>
public readonly record struct ActivityKey(string Activity, string Object)
{
    public const string Reference = "(id)";
    /// <summary>An embedded object without a type.</summary>
    public const string Untyped = "(untyped)";

    public override string ToString() => $"{Activity}{{{Object}}}";
}

/// <summary>
/// A stored, verified activity being processed: its JSON, the actor whose signature it carried, and the
/// (activity type, object type) it was dispatched on.
/// </summary>
public sealed record InboxActivity(string Id, ActivityKey Key, string ActorUri, JsonElement Json)
{
    public string Type => Key.Activity;
    public JsonElement Object => FirstObject(Json);
    public string? ObjectId => AsJson.Id(Object);

    /// <summary>The object types an activity can be dispatched on, in the order it lists them.</summary>
    public static IReadOnlyList<string> ObjectTypes(JsonElement activity)
    {
        var obj = FirstObject(activity);
        if (obj.ValueKind != JsonValueKind.Object) return [ActivityKey.Reference];
        var types = AsJson.Types(obj);
        return types.Count == 0 ? [ActivityKey.Untyped] : types;
    }

    private static JsonElement FirstObject(JsonElement activity)
    {
        var obj = AsJson.Get(activity, "object");
        return obj.ValueKind == JsonValueKind.Array ? AsJson.Values(obj).FirstOrDefault() : obj;
    }
}

/// <summary>
/// Handles activities of the (activity type, object type) pairs it lists, GoToSocial style: <c>Accept{Follow}</c> and
/// <c>Accept{commons:Request}</c> are different handlers. Returns a short outcome for the inbox log ("accepted follow", "ignored: …").
/// </summary>
public interface IActivityHandler
{
    IReadOnlyList<ActivityKey> Handles { get; }
    Task<string> HandleAsync(InboxActivity activity, CancellationToken ct);
}
