using Commons.Core.Kinds;

namespace Commons.Platform;

/// <summary>Where a kind's schema is published: the node serves it at this path, and it is committed as spec/schemas/{file}.</summary>
public static class KindSchemas
{
    /// <summary><c>place.bookings.v1.json</c>.</summary>
    public static string FileName(string kind, int version) => $"{kind}.v{version}.json";

    /// <summary><c>/schemas/place.bookings.v1.json</c>: also the schema's <c>$id</c>.</summary>
    public static string PathOf(string kind, int version) => "/schemas/" + FileName(kind, version);

    public static string PathOf(DatasetKind kind) => PathOf(kind.Name, kind.SchemaVersion);
}
