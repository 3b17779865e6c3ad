namespace Commons.Modules.Map.Kinds;

/// <summary>The kinds' JSON Schemas, embedded from Schemas/*.json (the files peers and spec/schemas know them by).</summary>
internal static class MapSchemas
{
    public static string Read(string kind, int version)
    {
        var name = $"Commons.Modules.Map.Schemas.{kind}.v{version}.json";
        using var stream = typeof(MapSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the module has no embedded schema {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
