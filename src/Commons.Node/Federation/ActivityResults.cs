using System.Text.Json.Nodes;

namespace Commons.Node.Federation;

/// <summary>Responses in the media types peers expect.</summary>
public static class ActivityResults
{
    public const string ActivityJson = "application/activity+json";

    public static IResult Activity(JsonNode document) => Results.Text(Commons.Federation.ActivityStreams.ActivityStreamsContext.SerializeToString(document), ActivityJson, System.Text.Encoding.UTF8);
    public static IResult Json(JsonNode document, string contentType) => Results.Text(Commons.Federation.ActivityStreams.ActivityStreamsContext.SerializeToString(document), contentType, System.Text.Encoding.UTF8);
}
