using System.Text.Json;
using Commons.Federation.ActivityStreams;

namespace Commons.Federation.Inbox;

/// <summary>A stored, verified activity being processed: its JSON and the actor whose signature it carried.</summary>
public sealed record InboxActivity(string Id, string Type, string ActorUri, JsonElement Json)
{
    public JsonElement Object => AsJson.Get(Json, "object");
    public string? ObjectId => AsJson.Id(Json, "object");
}

/// <summary>Handles one activity type. Returns a short outcome for the inbox log ("accepted follow", "ignored: …").</summary>
public interface IActivityHandler
{
    string Type { get; }
    Task<string> HandleAsync(InboxActivity activity, CancellationToken ct);
}
