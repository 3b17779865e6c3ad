using Commons.Core.Datasets;
using Commons.Core.Kinds;

namespace Commons.Core.Governance;

/// <summary>
/// <see cref="GovernedSettings.DatasetPolicy"/> as <see cref="Services.DatasetService"/> keeps it. The group's datasets
/// share by default as their kind says (its policy and excluded fields, no allowed peers; private for a custom
/// dataset). While a committee governs the setting, sharing a dataset otherwise — creating it with another sharing,
/// or changing the policy, allowed peers or excluded fields of one — needs an adopted decision that authorises
/// <c>datasets.policy</c> for its slug (or <c>*</c>). Without an <see cref="IGovernance"/>, or with the setting not
/// governed, nothing changes. Checked once, in the service, before the write; recorded after it.
/// </summary>
public sealed class DatasetSharingGovernance(IEnumerable<IGovernance> governance)
{
    /// <summary>The change to record once the dataset is created; null when its sharing is its kind's default or nothing governs it.</summary>
    public GovernedChange? CheckCreate(Dataset dataset, DatasetKind? kind, string? decision, string changedBy)
    {
        var defaults = dataset with
        {
            Policy = kind?.DefaultPolicy ?? SharingPolicy.Private,
            AllowedPeers = [],
            ExcludedFields = kind?.DefaultExcludedFields ?? [],
        };
        return DatasetRules.SharingChanged(defaults, dataset) ? Check(dataset.Slug, decision, changedBy) : null;
    }

    /// <summary>The change to record once the dataset is saved; null when its sharing stays or nothing governs it.</summary>
    public GovernedChange? CheckChange(Dataset current, Dataset updated, string? decision, string changedBy) =>
        DatasetRules.SharingChanged(current, updated) ? Check(current.Slug, decision, changedBy) : null;

    public void Record(GovernedChange? change)
    {
        if (change is not null) Governor()?.Record(change);
    }

    public IReadOnlyList<GovernedChange> History(string slug, int limit) =>
        governance.FirstOrDefault()?.History(GovernedSettings.DatasetPolicy, slug, limit) ?? [];

    private GovernedChange? Check(string slug, string? decision, string changedBy) =>
        Governor()?.Check(GovernedSettings.DatasetPolicy, slug, decision, changedBy);

    private IGovernance? Governor() => governance.FirstOrDefault(g => g.Governs(GovernedSettings.DatasetPolicy));
}
