using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Governance;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>
/// A resource's monthly quota is the governed setting <see cref="GovernedSettings.PlaceQuota"/> (scope: its dataset's
/// slug). The kind names the writes that change it (<see cref="ResourcesKind.GovernedChange"/>) and the record
/// service asks <see cref="IGovernance"/> for each: through the generic record API (which names no decision) such a
/// write is refused <c>decision_required</c> while a committee governs quotas; here a steward of the resources'
/// dataset changes it with the adopted decision that authorises it. Without the committee module, or with quotas not
/// governed, both ways change it as before. The history names the decision behind each change.
/// </summary>
public sealed class PlaceQuotaGovernance(PlaceDirectory directory, DatasetService datasets, RecordService records, IRecordStore store, IEnumerable<IGovernance> governance)
{
    /// <summary>Sets (<paramref name="hours"/>) or removes (null) the resource's monthly quota of hours per organisation.</summary>
    public int? Change(Caller caller, string resource, int? hours, string? decision)
    {
        var (dataset, record) = Find(caller, resource, AccessLevel.Steward);
        DatasetAccess.RequireWrite(caller);
        if (hours is < 1) throw ValidationException.For("hours", "a whole number of hours, 1 or more; none removes the quota");
        var next = JsonNode.Parse(record.Data.GetRawText())!.AsObject();
        if (hours is { } h) next["quotaHoursPerMonth"] = h; else next.Remove("quotaHoursPerMonth");
        using (GovernedRecordWrites.WithDecision(decision))
            records.Update(caller, dataset, resource, JsonSerializer.SerializeToElement(next), null, record.Revision);
        return hours;
    }

    /// <summary>The changes of the quotas of the resource's dataset, newest first, with the decision behind each; empty while nothing governs them.</summary>
    public IReadOnlyList<GovernedChange> History(Caller caller, string resource)
    {
        var (dataset, _) = Find(caller, resource, AccessLevel.Read);
        return governance.FirstOrDefault()?.History(GovernedSettings.PlaceQuota, dataset, 100) ?? [];
    }

    /// <summary>True while a committee governs quotas on this node: the page then asks for the decision.</summary>
    public bool Governed => governance.Any(g => g.Governs(GovernedSettings.PlaceQuota));

    private (string Dataset, Record Record) Find(Caller caller, string resource, AccessLevel level)
    {
        foreach (var d in directory.ResourceDatasets())
            if (store.Get(d.Key, resource) is { Deleted: false } r)
            {
                datasets.Get(caller, d.Slug, level);
                return (d.Slug, r);
            }
        throw new NotFoundException($"no resource '{resource}'");
    }
}
