namespace Commons.Modules.Committee.Kinds;

/// <summary>The kinds' JSON Schemas, embedded from Schemas/*.json (the files spec/schemas publishes).</summary>
internal static class CommitteeSchemas
{
    public static string Read(string kind, int version)
    {
        var name = $"Commons.Modules.Committee.Schemas.{kind}.v{version}.json";
        using var stream = typeof(CommitteeSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the module has no embedded schema {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
