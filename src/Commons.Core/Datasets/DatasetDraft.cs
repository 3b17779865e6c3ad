namespace Commons.Core.Datasets;

/// <summary>The settings a member sends to create a dataset, or to change one (null means "leave as it is").</summary>
public sealed record DatasetDraft
{
    public string? Slug { get; init; }
    /// <summary>A module's kind, or null / <c>custom</c>; only on creation.</summary>
    public string? Kind { get; init; }
    public LocalizedText? Title { get; init; }
    public LocalizedText? Description { get; init; }
    public string? Schema { get; init; }
    public string? License { get; init; }
    public SharingPolicy? Policy { get; init; }
    public IReadOnlyList<string>? AllowedPeers { get; init; }
    public IReadOnlyList<string>? ExcludedFields { get; init; }
    /// <summary>The field that names each record; "" clears the choice (back to the first short text field).</summary>
    public string? TitleField { get; init; }
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>The adopted decision that authorises a change of sharing, while a committee governs <c>datasets.policy</c>.</summary>
    public string? Decision { get; init; }
}
