using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Federation.Tests.Support;

/// <summary>Loads the vector files copied next to the test assembly (never from outside the repository).</summary>
internal static class TestVectors
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Vectors");

    public static string ReadText(params string[] relative) => File.ReadAllText(Path.Combine([Root, .. relative]));

    public static JsonElement ReadJson(params string[] relative)
    {
        using var document = JsonDocument.Parse(ReadText(relative));
        return document.RootElement.Clone();
    }

    public static JsonObject ReadJsonObject(params string[] relative) =>
        JsonNode.Parse(ReadText(relative))!.AsObject();
}
