using Commons.Core.Governance;
using Commons.Core.Kinds;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// A small <see cref="IGovernance"/> as the committee module provides it: decisions by reference, adopted or not, each
/// authorising one setting for one scope (<c>*</c>: every scope); the port's codes when a change is refused.
/// </summary>
public sealed class TestGovernance(params string[] governed) : IGovernance
{
    public Dictionary<string, (bool Adopted, string Setting, string Scope)> Decisions { get; } = [];
    public List<GovernedChange> Recorded { get; } = [];

    public bool Governs(string setting) => governed.Contains(setting);

    public GovernedChange Check(string setting, string scope, string? decisionRef, string changedBy)
    {
        if (!Governs(setting)) return new GovernedChange(setting, scope, changedBy, CreditNode.Start, null);
        if (decisionRef is null)
            throw new RuleViolationException(GovernanceCodes.DecisionRequired, "Decision required", $"{setting} changes only with an adopted decision", "decision");
        if (!Decisions.TryGetValue(decisionRef, out var d) || !d.Adopted)
            throw new RuleViolationException(GovernanceCodes.DecisionNotAdopted, "Not adopted", $"{decisionRef} is no adopted decision", "decision");
        if (d.Setting != setting || (d.Scope != "*" && d.Scope != scope))
            throw new RuleViolationException(GovernanceCodes.DecisionMismatch, "Another change", $"{decisionRef} authorises {d.Setting} for {d.Scope}", "decision");
        return new GovernedChange(setting, scope, changedBy, CreditNode.Start, decisionRef, "Decision " + decisionRef);
    }

    public void Record(GovernedChange change) => Recorded.Add(change);

    public IReadOnlyList<GovernedChange> History(string setting, string scope, int limit) =>
        Recorded.Where(c => c.Setting == setting && c.Scope == scope).Reverse().Take(limit).ToList();
}
