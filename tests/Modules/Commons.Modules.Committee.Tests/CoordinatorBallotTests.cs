using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;
using Commons.Modules.Committee.Tests.Support;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// The coordinating node "n0" is a member of its own committee: its ballot cannot go through the exchanges (they refuse
/// a dataset on the same node, and so does the test gateway), so it is cast on the node itself, signed by the node
/// actor like any member's ballot, decided by the same rules, listed with the node's ballots and recounted anywhere.
/// </summary>
public sealed class CoordinatorBallotTests
{
    [Fact]
    public async Task The_gateway_refuses_a_dataset_on_the_same_node_as_the_exchanges_do()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        var body = JsonSerializer.SerializeToElement(new { proposal = "p1", option = "yes" });
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            s.Coordinator.Gateway.SendAsync(Admin, s.ProposalsActor, VoteRequestHandler.Type, body, CancellationToken.None));
        Assert.Contains(refused.Errors, e => e.Path == "target" && e.Message == "that dataset is on this node");
    }

    [Fact]
    public async Task The_coordinator_votes_changes_its_vote_is_counted_once_and_a_member_recounts_it()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        var first = await s.VoteAsync(0, "p1", "no");
        Assert.Equal(ExchangeState.Accepted, first.State);
        Assert.Equal(ExchangeDirection.Outgoing, first.Direction);
        Assert.Equal(s.ProposalsActor, first.TargetActor);
        Assert.Equal(s.Coordinator.Actor, first.RequesterActor);
        Assert.Equal("no", first.Result!.Value.GetProperty("option").GetString());

        s.Clock.Advance(TimeSpan.FromMinutes(5));
        var changed = await s.VoteAsync(0, "p1", "yes", "we read the budget again");
        Assert.Equal(ExchangeState.Accepted, changed.State);
        Assert.Equal(ExchangeState.Accepted, (await s.VoteAsync(1, "p1", "yes")).State);

        var decision = s.Close("p1");
        var tally = decision.GetProperty("tally");
        Assert.Equal(2, tally.GetProperty("ballots").GetArrayLength());
        Assert.Equal("2", tally.GetProperty("counts").GetProperty("yes").GetString());
        Assert.Equal("0", tally.GetProperty("counts").GetProperty("no").GetString());
        Assert.Equal(Outcomes.Adopted, decision.GetProperty("outcome").GetString());
        var own = tally.GetProperty("ballots").EnumerateArray().Single(b => b.GetProperty("voter").GetString() == s.Coordinator.Actor);
        Assert.Equal(changed.SentJson, own.GetProperty("signed").GetRawText());

        var member = s.Members[2];
        member.Replicate(s.DecisionsActor, "p1", decision);
        var there = await member.Service.RecountAsync(Admin, "p1", CancellationToken.None);
        Assert.True(there.Verified, string.Join("; ", there.Failures.Select(f => f.Detail)));
        Assert.Equal(2, there.Ballots);
        Assert.Equal(Outcomes.Adopted, there.Recounted);
    }

    [Theory]
    [InlineData("slug")]
    [InlineData("handle")]
    [InlineData("actor")]
    public async Task The_proposals_dataset_is_named_by_its_slug_its_handle_or_its_actor(string how)
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        s.Coordinator.Propose("p1");
        var target = how switch
        {
            "slug" => "proposals",
            "handle" => "proposals@" + new Uri(s.ProposalsActor).Authority.ToUpperInvariant(),
            _ => s.ProposalsActor,
        };
        var sent = await s.Coordinator.Service.VoteAsync(Admin, target, "p1", "yes", null, CancellationToken.None);
        Assert.Equal(ExchangeState.Accepted, sent.State);
        Assert.Single(s.Coordinator.ModuleStore.Read(CommitteeBook.Module, d => new CommitteeBook(d).Ballots("proposals", "p1")));
    }

    [Fact]
    public async Task The_nodes_ballots_list_the_local_ones_accepted_and_refused_with_their_code()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        s.Coordinator.Propose("p1");
        s.Coordinator.Propose("p2", choices: ["hall", "garden"]);
        await s.VoteAsync(0, "p1", "yes");
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var unknown = await s.VoteAsync(0, "p2", "yes");
        Assert.Equal(ExchangeState.Refused, unknown.State);
        Assert.Equal(CommitteeCodes.UnknownOption, unknown.Code);

        var mine = s.Coordinator.Service.MyBallots(Admin, 50);
        Assert.Equal(2, mine.Count);
        Assert.Equal((ExchangeState.Refused, CommitteeCodes.UnknownOption), (mine[0].State, mine[0].Code));
        Assert.Equal((ExchangeState.Accepted, "yes"), (mine[1].State, mine[1].Body.GetProperty("option").GetString()));
        Assert.Equal(mine[1].Id, s.Coordinator.Gateway.Find(mine[1].Id)!.Id);
        Assert.Throws<ForbiddenException>(() => s.Coordinator.Service.MyBallots(Member, 50));
    }

    [Fact]
    public async Task A_local_ballot_after_closing_is_refused_and_stores_no_ballot()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        Assert.Equal(ExchangeState.Accepted, (await s.VoteAsync(1, "p1", "yes")).State);
        var decision = s.Close("p1");

        var late = await s.VoteAsync(0, "p1", "no");
        Assert.Equal(ExchangeState.Refused, late.State);
        Assert.Equal(CommitteeCodes.VotingClosed, late.Code);
        var ballots = s.Coordinator.ModuleStore.Read(CommitteeBook.Module, d => new CommitteeBook(d).Ballots("proposals", "p1"));
        Assert.DoesNotContain(ballots, b => b.Voter == s.Coordinator.Actor);
        Assert.Equal(decision.GetRawText(), s.Coordinator.Service.Close(Admin, "proposals", "p1").GetRawText());
    }

    [Fact]
    public async Task A_member_of_the_coordinating_node_may_not_cast_its_ballot_and_a_bad_ballot_is_refused_before_signing()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        s.Coordinator.Propose("p1");
        await Assert.ThrowsAsync<ForbiddenException>(() => s.Coordinator.Service.VoteAsync(Member, "proposals", "p1", "yes", null, CancellationToken.None));
        await Assert.ThrowsAsync<ValidationException>(() => s.Coordinator.Service.VoteAsync(Admin, "proposals", "p1", new string('x', 41), null, CancellationToken.None));
        Assert.Empty(s.Coordinator.Service.MyBallots(Admin, 50));
        Assert.Empty(s.Coordinator.ModuleStore.Read(CommitteeBook.Module, d => new CommitteeBook(d).Ballots("proposals", "p1")));
    }

    [Fact]
    public async Task A_node_that_is_no_member_is_refused_on_its_own_proposals_too()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        var outsider = new CommitteeNode(s.Network, "solo", s.Clock).Coordinate([(s.Members[1].Actor, 1m)]);
        outsider.Propose("p1");
        var sent = await outsider.Service.VoteAsync(Admin, "proposals", "p1", "yes", null, CancellationToken.None);
        Assert.Equal(ExchangeState.Refused, sent.State);
        Assert.Equal(CommitteeCodes.NotAMember, sent.Code);
    }
}
