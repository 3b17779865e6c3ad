using System.Diagnostics;
using Commons.Core.Exchanges;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;
using Xunit.Abstractions;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// Fifteen committee nodes over real HTTP, each on its own LiteDB store, each ballot a request signed with its node's
/// Ed25519 key: quorum reached and not, each rule including a tie, a changed ballot counted once, and the recount on
/// the coordinator and on a member holding a replica.
/// </summary>
public sealed class VotingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fifteen_nodes_vote_the_quorum_is_reached_the_decision_is_adopted_and_a_member_recounts_it()
    {
        var watch = Stopwatch.StartNew();
        await using var s = await CommitteeScenario.StartAsync(15);
        s.Coordinator.Propose("p1", VotingRules.Simple, quorum: 0.5m);
        await s.VoteManyAsync("p1", yes: 8, no: 4, abstain: 2);
        var decision = s.Close("p1");
        Assert.Equal(Outcomes.Adopted, decision.GetProperty("outcome").GetString());
        var tally = decision.GetProperty("tally");
        Assert.Equal(14, tally.GetProperty("ballots").GetArrayLength());
        Assert.Equal("8", tally.GetProperty("counts").GetProperty("yes").GetString());
        Assert.Equal("4", tally.GetProperty("counts").GetProperty("no").GetString());
        Assert.Equal("2", tally.GetProperty("counts").GetProperty("abstain").GetString());

        var here = await s.Coordinator.Service.RecountAsync(Admin, "p1", CancellationToken.None);
        Assert.True(here.Verified, string.Join("; ", here.Failures.Select(f => f.Detail)));
        var member = s.Members[7];
        member.Replicate(s.DecisionsActor, "p1", decision);
        var there = await member.Service.RecountAsync(Admin, "p1", CancellationToken.None);
        Assert.True(there.Verified, string.Join("; ", there.Failures.Select(f => f.Detail)));
        Assert.Equal(14, there.Ballots);
        Assert.Equal(Outcomes.Adopted, there.Recounted);
        output.WriteLine($"15 nodes: 14 signed ballots over HTTP, closing and two recounts in {watch.ElapsedMilliseconds} ms (not asserted)");
    }

    [Fact]
    public async Task Below_the_quorum_the_outcome_is_no_quorum_whatever_the_votes()
    {
        await using var s = await CommitteeScenario.StartAsync(15);
        s.Coordinator.Propose("p1", VotingRules.Simple, quorum: 0.5m);
        await s.VoteManyAsync("p1", yes: 7, no: 0, abstain: 0);
        var decision = s.Close("p1");
        Assert.Equal(Outcomes.NoQuorum, decision.GetProperty("outcome").GetString());
        Assert.True((await s.Coordinator.Service.RecountAsync(Admin, "p1", CancellationToken.None)).Verified);
    }

    [Theory]
    [InlineData(VotingRules.Simple, 3, 3, 1, Outcomes.Rejected)]
    [InlineData(VotingRules.Simple, 4, 3, 0, Outcomes.Adopted)]
    [InlineData(VotingRules.TwoThirds, 4, 2, 1, Outcomes.Adopted)]
    [InlineData(VotingRules.TwoThirds, 3, 2, 2, Outcomes.Rejected)]
    [InlineData(VotingRules.Consent, 5, 0, 2, Outcomes.Adopted)]
    [InlineData(VotingRules.Consent, 6, 1, 0, Outcomes.Rejected)]
    public async Task Each_rule_decides_over_the_network_including_a_tie(string rule, int yes, int no, int abstain, string expected)
    {
        await using var s = await CommitteeScenario.StartAsync(7);
        s.Coordinator.Propose("p1", rule, quorum: 0.5m);
        await s.VoteManyAsync("p1", yes, no, abstain);
        Assert.Equal(expected, s.Close("p1").GetProperty("outcome").GetString());
        Assert.True((await s.Coordinator.Service.RecountAsync(Admin, "p1", CancellationToken.None)).Verified);
    }

    [Fact]
    public async Task Weights_count_and_with_several_choices_the_one_ahead_is_adopted()
    {
        await using var s = await CommitteeScenario.StartAsync(4, [3m, 1m, 1m, 1m]);
        s.Coordinator.Propose("p1", VotingRules.Simple, quorum: 0.5m, choices: ["hall", "garden", "abstain"]);
        foreach (var (i, option) in new[] { (0, "hall"), (1, "garden"), (2, "garden"), (3, "abstain") })
            Assert.Equal(ExchangeState.Accepted, (await s.VoteAsync(i, "p1", option)).State);
        var decision = s.Close("p1");
        Assert.Equal(Outcomes.Adopted, decision.GetProperty("outcome").GetString());
        Assert.Equal("hall", decision.GetProperty("chosen").GetString());
        Assert.True((await s.Coordinator.Service.RecountAsync(Admin, "p1", CancellationToken.None)).Verified);
    }

    [Fact]
    public async Task A_changed_ballot_replaces_the_earlier_one_and_is_counted_once()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1", VotingRules.Simple, quorum: 0.5m);
        Assert.Equal(ExchangeState.Accepted, (await s.VoteAsync(1, "p1", "yes")).State);
        s.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(ExchangeState.Accepted, (await s.VoteAsync(1, "p1", "no", "we read the budget again")).State);
        Assert.Equal(ExchangeState.Accepted, (await s.VoteAsync(2, "p1", "yes")).State);
        var decision = s.Close("p1");
        var tally = decision.GetProperty("tally");
        Assert.Equal(2, tally.GetProperty("ballots").GetArrayLength());
        Assert.Equal("1", tally.GetProperty("counts").GetProperty("no").GetString());
        Assert.Equal("1", tally.GetProperty("counts").GetProperty("yes").GetString());
        Assert.Equal(Outcomes.Rejected, decision.GetProperty("outcome").GetString());
        Assert.True((await s.Coordinator.Service.RecountAsync(Admin, "p1", CancellationToken.None)).Verified);
    }

    [Fact]
    public async Task Closing_twice_gives_the_same_decision_and_closing_early_is_refused()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        await s.VoteManyAsync("p1", 2, 0, 0);
        var early = Assert.Throws<Core.Kinds.RuleConflictException>(() => s.Coordinator.Service.Close(Admin, "proposals", "p1"));
        Assert.Equal(CommitteeCodes.VotingOpen, early.Code);
        var first = s.Close("p1");
        var second = s.Coordinator.Service.Close(Admin, "proposals", "p1");
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal(0, s.Coordinator.Closing.CloseDue());
    }

    [Fact]
    public async Task The_timer_pass_closes_every_proposal_whose_time_has_come_and_only_those()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("due");
        s.Coordinator.Propose("later", opens: Start.AddHours(2));
        await s.VoteManyAsync("due", 2, 0, 0);
        s.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, s.Coordinator.Closing.CloseDue());
        Assert.NotNull(s.Coordinator.Finder.Find("due"));
        Assert.Null(s.Coordinator.Finder.Find("later"));
    }
}
