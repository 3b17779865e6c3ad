using System.Text.Json;

namespace Commons.Modules.Map.Matching;

/// <summary>The module's data files (Data/*.json), embedded: read once, never written.</summary>
internal static class MapData
{
    public static JsonElement Read(string name)
    {
        var resource = $"Commons.Modules.Map.Data.{name}.json";
        using var stream = typeof(MapData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the module has no embedded data file {resource}");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }
}
