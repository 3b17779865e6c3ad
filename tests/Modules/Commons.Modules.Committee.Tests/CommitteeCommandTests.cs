using System.Text.Json.Nodes;
using Commons.Core.Governance;
using Commons.Modules.Committee.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary><c>commons-node committee verify|close|history</c>: the operator's recount, closing and history, through the same service as the API.</summary>
public sealed class CommitteeCommandTests
{
    private readonly StringWriter _out = new();

    private int Run(CommitteeNode node, params string[] args)
    {
        var services = new ServiceCollection().AddSingleton(node.Service).BuildServiceProvider();
        var command = new CommitteeModule().BuildCommand(() => new ModuleCommandContext(services, _out, Admin))!;
        return command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = _out, Error = new StringWriter() });
    }

    [Fact]
    public async Task Close_then_verify_on_a_member_prints_recount_verified_and_an_altered_ballot_fails_naming_it()
    {
        await using var s = await CommitteeScenario.StartAsync(4);
        s.Coordinator.Propose("p1", authorises: null);
        await s.VoteManyAsync("p1", 2, 1, 0);
        s.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, Run(s.Coordinator, "close", "proposals", "p1"));
        Assert.Contains("p1: adopted", _out.ToString());

        var member = s.Members[3];
        var decision = s.Coordinator.Finder.Find("p1")!.Data;
        member.Replicate(s.DecisionsActor, "p1", decision);
        _out.GetStringBuilder().Clear();
        Assert.Equal(0, Run(member, "verify", "p1"));
        Assert.Contains("recount verified: p1 adopted, 3 signed ballot(s)", _out.ToString());

        var altered = JsonNode.Parse(decision.GetRawText())!.AsObject();
        altered["tally"]!["ballots"]![1]!["signed"]!["object"]!["commons:data"]!["reason"] = "added later";
        var voter = altered["tally"]!["ballots"]![1]!["voter"]!.GetValue<string>();
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        member.Replicate(s.DecisionsActor, "p1", Doc(altered));
        _out.GetStringBuilder().Clear();
        Assert.Equal(1, Run(member, "verify", "p1"));
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"ballot 2 ({voter}): ", StringComparison.Ordinal) && l.EndsWith("[ballot_bad_signature]", StringComparison.Ordinal));
        Assert.EndsWith("[recount_failed]", lines[^1]);
    }

    [Fact]
    public async Task Verify_of_an_unknown_decision_fails_and_history_lists_the_changes()
    {
        await using var s = await CommitteeScenario.StartAsync(2, null, GovernedSettings.PlaceQuota);
        // The node's CLI prints a CommonsException as one line ending [code]; here it reaches the test.
        try { Assert.NotEqual(0, Run(s.Coordinator, "verify", "nothing")); }
        catch (Core.Errors.CommonsException e) { Assert.Equal("not_found", e.Code); }
        s.Coordinator.Governance.Record(new GovernedChange(GovernedSettings.PlaceQuota, "rooms", "root", s.Clock.GetUtcNow(), "q1", "Quotas"));
        Assert.Equal(0, Run(s.Coordinator, "history", GovernedSettings.PlaceQuota, "rooms"));
        Assert.Contains("root decision q1 Quotas", _out.ToString());
    }
}
