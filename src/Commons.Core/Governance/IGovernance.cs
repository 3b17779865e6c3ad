namespace Commons.Core.Governance;

/// <summary>
/// Governed settings: a setting marked as governed changes only with a reference to an adopted decision that authorises
/// that change. The committee module registers the implementation and says which settings it governs; without it (or
/// with it off) nothing is governed. A module that owns a governed setting calls <see cref="Check"/> before the change
/// and <see cref="Record"/> after it has been written, so the setting's history names the decision behind each change.
/// </summary>
public interface IGovernance
{
    /// <summary>True when <paramref name="setting"/> (<see cref="GovernedSettings"/>) is governed on this node now.</summary>
    bool Governs(string setting);

    /// <summary>
    /// Checks that <paramref name="decisionRef"/> names an adopted decision (of a committee this node coordinates or
    /// follows) that authorises changing <paramref name="setting"/> for <paramref name="scope"/> (a group, a resource, a
    /// dataset; <c>*</c> in the decision covers every scope). Throws a <see cref="Kinds.RuleViolationException"/>:
    /// <see cref="GovernanceCodes.DecisionRequired"/> when none is named, <see cref="GovernanceCodes.DecisionNotAdopted"/>
    /// when it is unknown or not adopted, <see cref="GovernanceCodes.DecisionMismatch"/> when it authorises something else.
    /// Returns the change to record once written. When the setting is not governed, returns a change without a decision.
    /// </summary>
    GovernedChange Check(string setting, string scope, string? decisionRef, string changedBy);

    /// <summary>Adds a change written to the setting's history.</summary>
    void Record(GovernedChange change);

    /// <summary>The setting's changes for <paramref name="scope"/>, newest first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<GovernedChange> History(string setting, string scope, int limit);
}

/// <summary>One change of a governed setting: what, for which scope, by whom, when, and the decision that authorised it.</summary>
public sealed record GovernedChange(string Setting, string Scope, string ChangedBy, DateTimeOffset At, string? DecisionRef, string? DecisionTitle = null);

/// <summary>The settings other modules own that a committee can govern.</summary>
public static class GovernedSettings
{
    /// <summary>An exchange group's default limits and per-member overrides (scope: the group's id).</summary>
    public const string CreditLimits = "credit.limits";
    /// <summary>A resource's monthly quota of hours per organisation (scope: the resources dataset's slug).</summary>
    public const string PlaceQuota = "place.quota";
    /// <summary>The sharing policy of a dataset of the group (scope: the dataset's slug).</summary>
    public const string DatasetPolicy = "datasets.policy";

    public static readonly IReadOnlyList<string> All = [CreditLimits, PlaceQuota, DatasetPolicy];
}

/// <summary>The stable codes of a governed change refused.</summary>
public static class GovernanceCodes
{
    public const string DecisionRequired = "decision_required";
    public const string DecisionNotAdopted = "decision_not_adopted";
    public const string DecisionMismatch = "decision_mismatch";
}
