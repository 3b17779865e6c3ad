using System.Collections.Concurrent;
using Commons.Core.Datasets;

namespace Commons.Node.Web.Display;

/// <summary>
/// The records table's <see cref="RecordDisplay"/> of a dataset, kept while its schema, title field and columns stay the
/// same: building one parses the schema, which the table page did on every request for the same few datasets. A display
/// is read-only once built, so requests share it. Any change of the three gives a new key, hence a new display.
/// </summary>
public static class RecordDisplays
{
    /// <summary>Displays kept at most; past it the cache starts again empty (a node has few datasets people page through).</summary>
    internal const int MaxKept = 64;

    private static readonly ConcurrentDictionary<(string Schema, string? TitleField, string Columns), RecordDisplay> Kept = new();

    public static RecordDisplay Of(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        // Each column with its length before it: one key per list, whatever characters the names hold.
        var key = (dataset.Schema, dataset.TitleField, string.Concat(dataset.Columns.Select(c => $"{c.Length}:{c}")));
        if (Kept.TryGetValue(key, out var display)) return display;
        if (Kept.Count >= MaxKept) Kept.Clear();
        return Kept.GetOrAdd(key, _ => RecordDisplay.Of(dataset));
    }
}
