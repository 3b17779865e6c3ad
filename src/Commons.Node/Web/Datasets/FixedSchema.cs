using Commons.Core.Datasets;
using Commons.Core.Kinds;

namespace Commons.Node.Web.Datasets;

/// <summary>The schema a dataset's kind fixes, as the dataset form shows it: read-only, with the link to where the node publishes it.</summary>
public sealed record FixedSchema(string Kind, int Version, string Schema)
{
    public string Url => Platform.KindSchemas.PathOf(Kind, Version);

    /// <summary>The dataset's own kind, or null for a custom dataset (its stewards choose the schema).</summary>
    public static FixedSchema? Of(Dataset d) => d.Kind == DatasetKind.Custom ? null : new(d.Kind, d.KindVersion, d.Schema);

    public static FixedSchema Of(DatasetKind kind) => new(kind.Name, kind.SchemaVersion, kind.Schema);
}
