using Commons.Core.Datasets;

namespace Commons.Node.Web.Display;

/// <summary>Which fields a local dataset's records table shows besides the title, in order.</summary>
public static class TableColumns
{
    /// <summary>Columns shown when the steward chose none: the schema's first fields, so that the table still fits a screen.</summary>
    public const int Default = 6;

    /// <summary>The steward's columns the schema still has; else the schema's first <see cref="Default"/> fields but the title.</summary>
    public static IReadOnlyList<string> Of(Dataset dataset, RecordDisplay display)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(display);
        var chosen = dataset.Columns.Any(c => display.Has(c) && c != display.TitleField);
        return chosen ? display.Columns : display.Columns.Take(Default).ToList();
    }
}
