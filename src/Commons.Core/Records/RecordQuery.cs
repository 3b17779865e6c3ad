using System.Text.Json;

namespace Commons.Core.Records;

/// <summary>Equality on one field of the record data, by dotted path (<c>address.city</c>).</summary>
public sealed record FieldFilter(string Path, JsonElement Value);

public enum SortKey { Id, CreatedAt, UpdatedAt, Revision, DataField }

public sealed record RecordSort(SortKey Key, string? DataPath = null, bool Descending = false)
{
    public static readonly RecordSort Default = new(SortKey.Id);
}

public sealed record RecordQuery
{
    public IReadOnlyList<FieldFilter> Filters { get; init; } = [];
    /// <summary>Already folded search terms; every term must appear in some string field.</summary>
    public IReadOnlyList<string> TextTerms { get; init; } = [];
    public RecordSort Sort { get; init; } = RecordSort.Default;
    public int Limit { get; init; } = 50;
    /// <summary>Opaque position from a previous page.</summary>
    public string? Cursor { get; init; }
    public bool IncludeUnshared { get; init; } = true;
}

public sealed record RecordPage(IReadOnlyList<Record> Items, string? NextCursor);
