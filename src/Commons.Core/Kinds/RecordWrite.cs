using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Records;

namespace Commons.Core.Kinds;

/// <summary>
/// A write a kind's rules judge: the record as stored (null if new; a tombstone if deleted), the state the write
/// would store (a tombstone for a delete) and who writes — a member's username, or a peer's actor URL for a write
/// made on a peer's request.
/// </summary>
public sealed record RecordWrite(Dataset Dataset, Record? Current, Record Next, ChangeKind Kind, string? By)
{
    public bool IsDelete => Next.Deleted;
    /// <summary>The live state before the write, if there was one.</summary>
    public Record? Previous => Current is { Deleted: false } c ? c : null;
}
