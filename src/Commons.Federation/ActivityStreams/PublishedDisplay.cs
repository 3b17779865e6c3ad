using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// How a dataset's records are shown, as its actor publishes it (<c>commons:titleField</c>, <c>commons:columns</c>) and as its
/// Notes are named: the stewards' choices (<see cref="RecordDisplay"/>) over the schema without the fields the dataset
/// excludes as a whole, so neither ever names a field whose values never leave the node (a title field that is excluded
/// gives way to the next short text field). A field excluded only in part (<c>contact.email</c>) stays: what is left of it
/// is published.
/// </summary>
public static class PublishedDisplay
{
    /// <summary>
    /// Kept per <see cref="Dataset"/> instance (an immutable record; a changed dataset is a new instance, found by
    /// reference, not by value): a backfill page names a thousand Notes from one instance, and building the display
    /// parses the schema — it was a tenth of building an activity.
    /// </summary>
    private static readonly ConditionalWeakTable<Dataset, RecordDisplay> ByDataset = [];

    public static RecordDisplay Of(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return ByDataset.GetValue(dataset, Build);
    }

    private static RecordDisplay Build(Dataset dataset)
    {
        var excluded = dataset.ExcludedFields
            .Select(p => p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : p)
            .Where(p => p.Length > 0 && !p.Contains('.', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var schema = excluded.Count == 0 ? dataset.Schema : WithoutProperties(dataset.Schema, excluded);
        return RecordDisplay.Of(schema, dataset.TitleField, dataset.Columns);
    }

    private static string WithoutProperties(string schema, HashSet<string> names)
    {
        try
        {
            if (JsonNode.Parse(schema) is JsonObject root && root["properties"] is JsonObject properties)
            {
                foreach (var name in names) properties.Remove(name);
                return root.ToJsonString();
            }
        }
        catch (JsonException)
        {
            // RecordDisplay shows no field of a schema that does not parse.
        }
        return schema;
    }
}
