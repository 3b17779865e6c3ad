using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// Governed settings: refused without a decision, accepted with the adopted decision that authorises the change (on
/// the coordinator, and on a member through its replica of the decisions), refused with one that authorises something
/// else or was not adopted; a setting no committee governs needs nothing; the history names the decision behind each change.
/// </summary>
public sealed class GovernanceTests
{
    private const string Group = "sel-bxl";

    [Fact]
    public async Task A_governed_setting_is_refused_without_a_decision_and_accepted_with_the_authorising_one()
    {
        await using var s = await AdoptedAsync(("limits", (GovernedSettings.CreditLimits, Group)));
        var g = s.Coordinator.Governance;
        Assert.True(g.Governs(GovernedSettings.CreditLimits));
        Assert.Equal(GovernanceCodes.DecisionRequired, Assert.Throws<RuleViolationException>(() => g.Check(GovernedSettings.CreditLimits, Group, null, "root")).Code);
        Assert.Equal(GovernanceCodes.DecisionRequired, Assert.Throws<RuleViolationException>(() => g.Check(GovernedSettings.CreditLimits, Group, " ", "root")).Code);
        var change = g.Check(GovernedSettings.CreditLimits, Group, "limits", "root");
        Assert.Equal(("limits", "Proposal limits"), (change.DecisionRef, change.DecisionTitle));
        g.Record(change);
        var history = g.History(GovernedSettings.CreditLimits, Group, 10);
        Assert.Equal("limits", Assert.Single(history).DecisionRef);
        Assert.Empty(g.History(GovernedSettings.CreditLimits, "another-group", 10));
    }

    [Fact]
    public async Task A_decision_that_authorises_something_else_or_was_not_adopted_is_refused()
    {
        await using var s = await AdoptedAsync(("quota", (GovernedSettings.PlaceQuota, "rooms")), ("other-group", (GovernedSettings.CreditLimits, "sel-liege")));
        var g = s.Coordinator.Governance;
        Assert.Equal(GovernanceCodes.DecisionMismatch, Assert.Throws<RuleViolationException>(() => g.Check(GovernedSettings.CreditLimits, Group, "quota", "root")).Code);
        Assert.Equal(GovernanceCodes.DecisionMismatch, Assert.Throws<RuleViolationException>(() => g.Check(GovernedSettings.CreditLimits, Group, "other-group", "root")).Code);
        Assert.Equal(GovernanceCodes.DecisionNotAdopted, Assert.Throws<RuleViolationException>(() => g.Check(GovernedSettings.CreditLimits, Group, "nothing", "root")).Code);

        s.Coordinator.Propose("refused", authorises: (GovernedSettings.CreditLimits, "*"), opens: s.Clock.GetUtcNow());
        await s.VoteManyAsync("refused", yes: 0, no: 3, abstain: 0);
        Assert.Equal(Outcomes.Rejected, s.Close("refused").GetProperty("outcome").GetString());
        Assert.Equal(GovernanceCodes.DecisionNotAdopted, Assert.Throws<RuleViolationException>(() => g.Check(GovernedSettings.CreditLimits, Group, "refused", "root")).Code);
    }

    [Fact]
    public async Task A_decision_for_every_scope_covers_each_and_a_member_checks_it_from_its_replica_once_its_proof_verified()
    {
        await using var s = await AdoptedAsync(("all", (GovernedSettings.CreditLimits, "*")));
        Assert.Equal("all", s.Coordinator.Governance.Check(GovernedSettings.CreditLimits, "any-group", "all", "root").DecisionRef);
        var member = s.Members[2];
        member.Replicate(s.Network.DatasetActor("n0", "committee"), "steering",
            s.Coordinator.RecordStore.Get(s.Coordinator.DatasetStore.Find("committee")!.Key, "steering")!.Data, CommitteeKind.KindName);
        Assert.True(member.Governance.Governs(GovernedSettings.CreditLimits));
        Assert.Equal(GovernanceCodes.DecisionNotAdopted, Assert.Throws<RuleViolationException>(() => member.Governance.Check(GovernedSettings.CreditLimits, Group, "all", "root")).Code);
        member.Replicate(s.DecisionsActor, "all", s.Coordinator.Finder.Find("all")!.Data, verified: false);
        Assert.Equal(GovernanceCodes.DecisionNotAdopted, Assert.Throws<RuleViolationException>(() => member.Governance.Check(GovernedSettings.CreditLimits, Group, "all", "root")).Code);
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        member.Replicate(s.DecisionsActor, "all", s.Coordinator.Finder.Find("all")!.Data);
        Assert.Equal("all", member.Governance.Check(GovernedSettings.CreditLimits, Group, "all", "root").DecisionRef);
    }

    [Fact]
    public async Task A_setting_no_committee_governs_changes_without_a_decision()
    {
        await using var s = await CommitteeScenario.StartAsync(3, null, GovernedSettings.CreditLimits);
        var g = s.Coordinator.Governance;
        Assert.False(g.Governs(GovernedSettings.DatasetPolicy));
        var change = g.Check(GovernedSettings.DatasetPolicy, "members", null, "root");
        Assert.Null(change.DecisionRef);
        var outsider = new CommitteeNode(s.Network, "outsider", s.Clock);
        Assert.False(outsider.Governance.Governs(GovernedSettings.CreditLimits));
    }

    /// <summary>A committee of three governing limits and quotas, with each named proposal adopted unanimously.</summary>
    private static async Task<CommitteeScenario> AdoptedAsync(params (string Id, (string Setting, string Scope) Authorises)[] proposals)
    {
        var s = await CommitteeScenario.StartAsync(3, null, GovernedSettings.CreditLimits, GovernedSettings.PlaceQuota);
        foreach (var (id, authorises) in proposals) s.Coordinator.Propose(id, authorises: authorises);
        foreach (var (id, _) in proposals) await s.VoteManyAsync(id, 3, 0, 0);
        foreach (var (id, _) in proposals) Assert.Equal(Outcomes.Adopted, s.Close(id).GetProperty("outcome").GetString());
        return s;
    }
}
