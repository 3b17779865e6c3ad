using System.Net;
using System.Net.Http.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary>A group's limits change through the governance port when it governs them, directly by the steward otherwise.</summary>
public sealed class LimitsGovernanceTests : IDisposable
{
    private readonly CreditNode _node = new CreditNode().WithGroup();

    public void Dispose() => _node.Dispose();

    private CreditLimits Limits(params IGovernance[] governance) => new(_node.Datasets, _node.Records, _node.RecordStore, governance, _node.ModuleStore);

    private static readonly LimitsChange Wider = new("-200", "200", [new MemberLimits(C, "-20", "20")], null);

    private GroupTerms Stored() => _node.ModuleStore.Read(CreditBook.Module, d => new CreditBook(d).Group("sel")!);

    [Fact]
    public void Without_the_port_the_steward_changes_the_limits_directly()
    {
        var terms = Limits().Change(Admin, "groups", "sel", Wider);
        Assert.Equal((-200m, 200m, -20m, 20m), (terms.Lowest, terms.Highest, terms.Member(C)!.Lowest, terms.Member(C)!.Highest));
        Assert.Equal((-200m, -20m), (Stored().Lowest, Stored().Member(C)!.Lowest));
        Assert.Equal(-200m, Stored().Member(A)!.Lowest);
        Limits().Change(Admin, "groups", "sel", new LimitsChange("-200", "200", [new MemberLimits(C, null, null)], null));
        Assert.Equal(-200m, Stored().Member(C)!.Lowest);
    }

    [Fact]
    public void A_port_that_does_not_govern_credit_limits_leaves_them_to_the_steward()
    {
        var governance = new TestGovernance(GovernedSettings.PlaceQuota);
        Limits(governance).Change(Admin, "groups", "sel", Wider);
        Assert.Equal(-200m, Stored().Lowest);
        Assert.Empty(governance.Recorded);
    }

    [Fact]
    public void Governed_limits_are_refused_without_a_decision_with_one_not_adopted_and_with_one_for_something_else()
    {
        var governance = new TestGovernance(GovernedSettings.CreditLimits);
        governance.Decisions["d-draft"] = (false, GovernedSettings.CreditLimits, "sel");
        governance.Decisions["d-quota"] = (true, GovernedSettings.PlaceQuota, "sel");
        governance.Decisions["d-other-group"] = (true, GovernedSettings.CreditLimits, "other");
        foreach (var (decision, code) in new[]
                 {
                     ((string?)null, GovernanceCodes.DecisionRequired), ("d-unknown", GovernanceCodes.DecisionNotAdopted), ("d-draft", GovernanceCodes.DecisionNotAdopted),
                     ("d-quota", GovernanceCodes.DecisionMismatch), ("d-other-group", GovernanceCodes.DecisionMismatch),
                 })
        {
            var e = Assert.Throws<RuleViolationException>(() => Limits(governance).Change(Admin, "groups", "sel", Wider with { Decision = decision }));
            Assert.Equal(code, e.Code);
        }
        Assert.Equal(-100m, Stored().Lowest);
        Assert.Equal(1, _node.RecordStore.Get(_node.DatasetStore.Find("groups")!.Key, "sel")!.Revision);
        Assert.Empty(governance.Recorded);
    }

    [Fact]
    public void Governed_limits_change_with_an_adopted_decision_that_authorises_them_and_the_change_is_recorded()
    {
        var governance = new TestGovernance(GovernedSettings.CreditLimits);
        governance.Decisions["d-7"] = (true, GovernedSettings.CreditLimits, "sel");
        Limits(governance).Change(Admin, "groups", "sel", Wider with { Decision = "d-7" });
        Assert.Equal(-200m, Stored().Lowest);
        var recorded = Assert.Single(Limits(governance).History(Admin, "groups", "sel"));
        Assert.Equal((GovernedSettings.CreditLimits, "sel", "root", "d-7"), (recorded.Setting, recorded.Scope, recorded.ChangedBy, recorded.DecisionRef));
    }

    [Fact]
    public void Bad_limits_are_refused_with_their_codes_and_nothing_changes()
    {
        var limits = Limits();
        Assert.Equal(CreditCodes.LimitsInvalid, Assert.Throws<RuleViolationException>(() => limits.Change(Admin, "groups", "sel", Wider with { Lowest = null })).Code);
        Assert.Equal(CreditCodes.LimitsInvalid, Assert.Throws<RuleViolationException>(() =>
            limits.Change(Admin, "groups", "sel", Wider with { Members = [new MemberLimits(Outsider, "-1", "1")] })).Code);
        Assert.Equal(CreditCodes.AmountPrecision, Assert.Throws<RuleViolationException>(() => limits.Change(Admin, "groups", "sel", Wider with { Lowest = "-1.001" })).Code);
        Assert.Equal(CreditCodes.GroupInvalid, Assert.Throws<RuleViolationException>(() => limits.Change(Admin, "groups", "sel", Wider with { Lowest = "5" })).Code);
        Assert.Equal(ProblemCodes.ValidationFailed, Assert.Throws<ValidationException>(() => limits.Change(Admin, "groups", "sel", Wider with { Highest = "lots" })).Code);
        Assert.Throws<NotFoundException>(() => limits.Change(Admin, "groups", "nope", Wider));
        Assert.Throws<NotFoundException>(() => limits.Change(Admin, "ledger-a", "sel", Wider));
        Assert.Equal(-100m, Stored().Lowest);
    }

    [Fact]
    public async Task Over_HTTP_a_governed_change_needs_its_decision_and_a_member_who_is_not_steward_is_forbidden()
    {
        var governance = new TestGovernance(GovernedSettings.CreditLimits);
        governance.Decisions["d-7"] = (true, GovernedSettings.CreditLimits, "*");
        var callers = new Dictionary<string, Caller> { ["root"] = Admin, ["alice"] = new("alice", MemberRole.Member, TokenScopes.Read | TokenScopes.Write) };
        await using var host = await ModuleTestHost.StartAsync<CreditModule>(callers, s => s.AddSingleton(Limits(governance)));
        var body = new { lowest = "-150", highest = "150", members = new[] { new { actor = C, lowest = "-30", highest = "30" } } };

        var refused = await host.Client("root").PutAsJsonAsync("/api/credit/groups/groups/sel/limits", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(GovernanceCodes.DecisionRequired, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client("alice").PutAsJsonAsync("/api/credit/groups/groups/sel/limits", new { body.lowest, body.highest, decision = "d-7" })).StatusCode);

        var changed = await host.Client("root").PutAsJsonAsync("/api/credit/groups/groups/sel/limits", new { body.lowest, body.highest, body.members, decision = "d-7" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var json = await changed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(("-150", "-30"), (json.GetProperty("lowest").GetString(), json.GetProperty("members")[2].GetProperty("lowest").GetString()));
        var history = await host.Client("root").GetFromJsonAsync<System.Text.Json.JsonElement>("/api/credit/groups/groups/sel/limits/history");
        Assert.Equal("d-7", history[0].GetProperty("decision").GetString());
    }

    [Fact]
    public void The_limits_command_passes_the_decision_and_prints_the_limits_in_force()
    {
        var governance = new TestGovernance(GovernedSettings.CreditLimits);
        governance.Decisions["d-7"] = (true, GovernedSettings.CreditLimits, "sel");
        var output = new StringWriter();
        var services = new ServiceCollection().AddSingleton(Limits(governance)).BuildServiceProvider();
        var command = new CreditModule().BuildCommand(() => new ModuleCommandContext(services, output, Admin))!;
        int Run(params string[] args) => command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.NotEqual(0, Run("limits", "groups", "sel", "--lowest", "-150", "--highest", "150"));
        Assert.Equal(-100m, Stored().Lowest);
        Assert.Equal(0, Run("limits", "groups", "sel", "--lowest", "-150", "--highest", "150", "--member", $"{C}=-30:30", "--decision", "d-7"));
        Assert.Contains($"  {C}: -30…30", output.ToString());
        Assert.Equal(-150m, Stored().Lowest);
    }
}
