using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Services;

/// <summary>One member's limits in a change: both null removes its override (the group's limits apply again).</summary>
public sealed record MemberLimits(string? Actor, string? Lowest, string? Highest);

/// <summary>
/// A change of a group's limits: the default lowest and highest balances, the members' overrides (each member named
/// keeps or drops its own; members not named keep theirs) and the adopted decision that authorises it, when governed.
/// </summary>
public sealed record LimitsChange(string? Lowest, string? Highest, IReadOnlyList<MemberLimits>? Members, string? Decision);

/// <summary>
/// A group's limits are a governed setting (<see cref="GovernedSettings.CreditLimits"/>, scope: the group's id). A
/// steward of the group's dataset changes them; when an <see cref="IGovernance"/> is registered and governs the setting,
/// only with an adopted decision that authorises it: <see cref="IGovernance.Check"/> before the write (its codes
/// <c>decision_required</c>, <c>decision_not_adopted</c>, <c>decision_mismatch</c> refuse it, nothing written) and
/// <see cref="IGovernance.Record"/> after. Without the port, or with the setting not governed, the steward's change is
/// written as it is. The group's own rules (limits around zero, the unit's precision) apply in the write.
/// </summary>
public sealed class CreditLimits(DatasetService datasets, RecordService records, IRecordStore store, IEnumerable<IGovernance> governance, IModuleStore modules)
{
    public GroupTerms Change(Caller caller, string groups, string group, LimitsChange change)
    {
        var dataset = datasets.Get(caller, groups, AccessLevel.Steward);
        DatasetAccess.RequireWrite(caller);
        if (dataset.Kind != GroupKind.KindName || store.Get(dataset.Key, group) is not { Deleted: false } record)
            throw new NotFoundException($"no exchange group '{group}' in '{groups}'");
        var next = Changed(record.Data, change);
        var governor = Governor();
        var authorised = governor?.Check(GovernedSettings.CreditLimits, group, change.Decision, caller.Username);
        modules.Write(CreditBook.Module, d =>
        {
            LimitsPass.Leave(d, dataset.Key, group, next);
            return 0;
        });
        records.Update(caller, groups, group, next, null, record.Revision);
        if (authorised is not null) governor!.Record(authorised);
        return GroupTerms.Of(next);
    }

    /// <summary>The group's changes of limits, newest first, with the decision behind each; empty when nothing governs them.</summary>
    public IReadOnlyList<GovernedChange> History(Caller caller, string groups, string group)
    {
        datasets.Get(caller, groups, AccessLevel.Read);
        return governance.FirstOrDefault()?.History(GovernedSettings.CreditLimits, group, 100) ?? [];
    }

    private IGovernance? Governor() => governance.FirstOrDefault(g => g.Governs(GovernedSettings.CreditLimits));

    private static JsonElement Changed(JsonElement data, LimitsChange change)
    {
        if (string.IsNullOrWhiteSpace(change.Lowest) || string.IsNullOrWhiteSpace(change.Highest))
            throw new RuleViolationException(CreditCodes.LimitsInvalid, "Limits required", "a change of limits names the lowest and the highest balance", "lowest");
        var o = JsonNode.Parse(data.GetRawText())!.AsObject();
        o["lowest"] = Amount(change.Lowest, "lowest");
        o["highest"] = Amount(change.Highest, "highest");
        var members = o["members"]!.AsArray();
        foreach (var (m, i) in (change.Members ?? []).Select((m, i) => (m, i)))
        {
            var member = members.OfType<JsonObject>().FirstOrDefault(x => x["actor"]?.GetValue<string>() == m.Actor)
                ?? throw new RuleViolationException(CreditCodes.LimitsInvalid, "Not a member", $"{m.Actor} is no member of the group", $"members/{i}/actor");
            member.Remove("lowest");
            member.Remove("highest");
            if (m.Lowest is not null) member["lowest"] = Amount(m.Lowest, $"members/{i}/lowest");
            if (m.Highest is not null) member["highest"] = Amount(m.Highest, $"members/{i}/highest");
        }
        return JsonSerializer.SerializeToElement(o);
    }

    private static string Amount(string text, string path) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out _)
            ? text : throw ValidationException.For(path, "a decimal written as text");
}
