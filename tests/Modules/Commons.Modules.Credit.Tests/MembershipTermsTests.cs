using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Tests.Support;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>
/// A change of the group's terms on the coordinating node reaches the members at their next pass and applies there;
/// the group's limits change only through the limits change, which a committee governs, never by a plain record write.
/// </summary>
public sealed class MembershipTermsTests : IDisposable
{
    private readonly MembershipNetwork _net = new();

    public void Dispose() => _net.Dispose();

    private async Task JoinAllAsync()
    {
        foreach (var n in _net.Nodes.Values) await n.Membership.JoinAsync(Admin, "groups@a.example", null, default);
    }

    private CreditLimits Limits(params IGovernance[] governance) =>
        new(_net.A.Node.Datasets, _net.A.Node.Records, _net.A.Node.RecordStore, governance, _net.A.Node.ModuleStore);

    private JsonElement GroupRecord() => _net.A.Node.RecordStore.Get(_net.A.Node.DatasetStore.Find("groups")!.Key, "sel")!.Data;

    [Fact]
    public async Task New_limits_a_timeout_and_a_euro_worth_reach_the_members_at_their_next_pass_and_apply_there()
    {
        await JoinAllAsync();
        Limits().Change(Admin, "groups", "sel", new LimitsChange("-10", "10", [new MemberLimits(C, "-5", "5")], null));
        _net.ChangeGroup(g =>
        {
            g["transferTimeoutMinutes"] = 30;
            g["euroValue"] = "0.50";
            return g;
        });
        // Not yet: B holds the terms it read at the join.
        Assert.Equal(-100m, _net.B.Node.Ledgers!.Joined("ledger").Group.Lowest);

        await _net.B.Membership.RefreshAllAsync(default);
        var terms = _net.B.Node.Ledgers.Joined("ledger").Group;
        Assert.Equal((-10m, 10m, -5m, TimeSpan.FromMinutes(30), 0.50m), (terms.Lowest, terms.Highest, terms.Member(C)!.Lowest, terms.TransferTimeout, terms.EuroValue));

        // The new lowest limit applies to B's payments: 10.01 would take B below −10.
        var refused = await Assert.ThrowsAsync<RuleConflictException>(() => _net.B.Node.Credit!.PayAsync(Admin, "ledger", A, "10.01", null, null, default));
        Assert.Equal(CreditCodes.BelowLowestLimit, refused.Code);
        Assert.Equal("completed", (await _net.B.Node.Credit!.PayAsync(Admin, "ledger", A, "10", null, null, default)).State);
    }

    [Fact]
    public void A_plain_record_write_that_changes_limits_is_refused_governed_or_not_and_other_terms_change_through_it()
    {
        foreach (var change in new Func<JsonObject, JsonObject>[]
                 {
                     g => { g["lowest"] = "-1000"; return g; },
                     g => { g["members"]![0]!["lowest"] = "-1000"; return g; },
                     g => { g["members"]!.AsArray().Add(new JsonObject { ["actor"] = "https://d.example/actor", ["ledger"] = "https://d.example/datasets/ledger", ["highest"] = "999" }); return g; },
                 })
            Assert.Equal(CreditCodes.LimitsGoverned, Assert.Throws<RuleConflictException>(() => _net.ChangeGroup(change)).Code);
        Assert.Equal("-100", GroupRecord().GetProperty("lowest").GetString());

        // The same limits written again, a new member without an override, a member removed, the timeout: no limits change.
        _net.ChangeGroup(g =>
        {
            g["lowest"] = "-100.00";
            g["transferTimeoutMinutes"] = 15;
            g["members"]!.AsArray().Add(new JsonObject { ["actor"] = "https://d.example/actor", ["ledger"] = "https://d.example/datasets/ledger" });
            g["members"]!.AsArray().RemoveAt(1);
            return g;
        });
        Assert.Equal(15, GroupRecord().GetProperty("transferTimeoutMinutes").GetInt32());
    }

    [Fact]
    public void A_deleted_group_is_not_re_created_with_other_limits_by_a_plain_write()
    {
        var data = GroupRecord();
        var record = _net.A.Node.RecordStore.Get(_net.A.Node.DatasetStore.Find("groups")!.Key, "sel")!;
        _net.A.Node.Records.Delete(Admin, "groups", "sel", record.Revision);
        Assert.Equal(CreditCodes.LimitsGoverned, Assert.Throws<RuleConflictException>(() => _net.A.Node.Records.Create(Admin, "groups", "sel", data)).Code);
        _net.A.Node.Records.Create(Admin, "groups", "sel2", data);
    }

    [Fact]
    public void Governed_limits_change_only_with_an_adopted_decision_and_never_by_a_plain_write()
    {
        var governance = new TestGovernance(GovernedSettings.CreditLimits);
        governance.Decisions["d-9"] = (true, GovernedSettings.CreditLimits, "sel");
        var wider = new LimitsChange("-300", "300", null, null);
        Assert.Equal(GovernanceCodes.DecisionRequired, Assert.Throws<RuleViolationException>(() => Limits(governance).Change(Admin, "groups", "sel", wider)).Code);
        Assert.Equal(CreditCodes.LimitsGoverned, Assert.Throws<RuleConflictException>(() => _net.ChangeGroup(g => { g["lowest"] = "-300"; return g; })).Code);
        Assert.Equal("-100", GroupRecord().GetProperty("lowest").GetString());

        Limits(governance).Change(Admin, "groups", "sel", wider with { Decision = "d-9" });
        Assert.Equal("-300", GroupRecord().GetProperty("lowest").GetString());
        Assert.Equal("d-9", Assert.Single(governance.Recorded).DecisionRef);
        // The pass was used up: the same limits written again by a plain write are no change; others are refused again.
        _net.ChangeGroup(g => g);
        Assert.Equal(CreditCodes.LimitsGoverned, Assert.Throws<RuleConflictException>(() => _net.ChangeGroup(g => { g["lowest"] = "-400"; return g; })).Code);
    }
}
