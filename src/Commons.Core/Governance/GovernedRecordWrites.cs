using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;

namespace Commons.Core.Governance;

/// <summary>
/// A governed setting kept in a record's fields (a resource's quota): the kind says which writes change it
/// (<see cref="DatasetKind.GovernedChange"/>) and <see cref="Services.RecordService"/> asks <see cref="IGovernance"/>
/// before the write and records the change after it. The generic record API names no decision, so such a write is
/// refused <c>decision_required</c> while the setting is governed; the module's own service for the setting names
/// the decision for the writes it makes (<see cref="WithDecision"/>).
/// </summary>
public sealed class GovernedRecordWrites(IEnumerable<IGovernance> governance)
{
    private static readonly AsyncLocal<string?> Decision = new();

    /// <summary>The decision that authorises the record writes made until the scope is disposed, on this flow only.</summary>
    public static IDisposable WithDecision(string? decision)
    {
        var before = Decision.Value;
        Decision.Value = decision;
        return new Restore(before);
    }

    /// <summary>The change to record once written; null when the write changes no governed setting or nothing governs it.</summary>
    public GovernedChange? Check(DatasetKind? kind, Dataset dataset, JsonElement? before, JsonElement? after, string by)
    {
        if (kind?.GovernedChange(dataset, before, after) is not { } changed) return null;
        return governance.FirstOrDefault(g => g.Governs(changed.Setting))?.Check(changed.Setting, changed.Scope, Decision.Value, by);
    }

    public void Record(GovernedChange? change)
    {
        if (change is not null) governance.FirstOrDefault(g => g.Governs(change.Setting))?.Record(change);
    }

    private sealed class Restore(string? before) : IDisposable
    {
        public void Dispose() => Decision.Value = before;
    }
}
