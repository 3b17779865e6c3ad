namespace Commons.Core.Datasets;

/// <summary>Who outside the node may see a dataset.</summary>
public enum SharingPolicy
{
    /// <summary>Nobody outside the node; the dataset does not exist for peers.</summary>
    Private = 0,
    /// <summary>Only the peer nodes on the allow-list.</summary>
    Peers = 1,
    /// <summary>Anyone who asks and whom a steward approves.</summary>
    Approval = 2,
    /// <summary>Everyone.</summary>
    Public = 3,
}

/// <summary>What a member may do with one dataset. Admins are stewards of everything.</summary>
public enum GrantRole { Viewer = 1, Editor = 2, Steward = 3 }

public sealed record DatasetGrant(string Username, GrantRole Role);

/// <summary>Text in the node's three languages; any may be empty but not all.</summary>
public sealed record LocalizedText(string? Fr, string? Nl, string? En)
{
    public static readonly LocalizedText Empty = new(null, null, null);
    public bool IsBlank() => string.IsNullOrWhiteSpace(Fr) && string.IsNullOrWhiteSpace(Nl) && string.IsNullOrWhiteSpace(En);

    /// <summary>The text in the asked language, else English, French, Dutch — whichever exists first.</summary>
    public string? In(string language) => (language switch { "fr" => Fr, "nl" => Nl, _ => En }) is { Length: > 0 } s ? s : En ?? Fr ?? Nl;
}

/// <summary>A typed collection of records and the rules for sharing it.</summary>
public sealed record Dataset
{
    /// <summary>Internal, never reused number; names the dataset's storage.</summary>
    public int Key { get; init; }
    /// <summary>URL-safe name, unique on the node, never changes (peers know the dataset by it).</summary>
    public required string Slug { get; init; }
    /// <summary><see cref="Kinds.DatasetKind.Custom"/>, or the name of a module's kind (its schema and rules); never changes.</summary>
    public string Kind { get; init; } = Kinds.DatasetKind.Custom;
    /// <summary>The kind's schema version the records meet (0 for custom datasets); behind the kind's own after an upgrade of the code, until migrated.</summary>
    public int KindVersion { get; init; }
    public required LocalizedText Title { get; init; }
    public LocalizedText Description { get; init; } = LocalizedText.Empty;
    /// <summary>The JSON Schema (2020-12) every record must meet, as JSON text.</summary>
    public required string Schema { get; init; }
    /// <summary>An SPDX licence id or a licence URL.</summary>
    public string? License { get; init; }
    public SharingPolicy Policy { get; init; }
    /// <summary>Peer nodes (host names, e.g. <c>other.example</c> or <c>127.0.0.1:5082</c>) allowed under <see cref="SharingPolicy.Peers"/>.</summary>
    public IReadOnlyList<string> AllowedPeers { get; init; } = [];
    /// <summary>Dotted field paths of the record data that never leave the node.</summary>
    public IReadOnlyList<string> ExcludedFields { get; init; } = [];
    /// <summary>The top-level text field that names each record; null: the first short text field (<see cref="RecordDisplay"/>).</summary>
    public string? TitleField { get; init; }
    /// <summary>Top-level fields shown as table columns, in order; empty: every field but the title.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<DatasetGrant> Grants { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Grows by one with each change of the dataset's own settings (its ETag).</summary>
    public long Version { get; init; } = 1;

    public GrantRole? GrantOf(string username) => Grants.FirstOrDefault(g => g.Username == username)?.Role;
}
