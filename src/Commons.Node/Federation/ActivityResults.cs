using System.Text.Json.Nodes;

namespace Commons.Node.Federation;

/// <summary>Responses in the media types peers expect.</summary>
public static class ActivityResults
{
    public const string ActivityJson = "application/activity+json";

    // JSON served as JSON: no need to escape '+', '<' or non-ASCII letters for HTML.
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Activity(JsonNode document) => Results.Text(document.ToJsonString(Relaxed), ActivityJson, System.Text.Encoding.UTF8);
    public static IResult Json(JsonNode document, string contentType) => Results.Text(document.ToJsonString(Relaxed), contentType, System.Text.Encoding.UTF8);
}
