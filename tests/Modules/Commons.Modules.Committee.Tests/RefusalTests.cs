using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Tests.Support;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// Ballots the coordinator refuses, each with its reason, and nothing of them counted: a late one, an early one, a
/// non-member's, an unknown option, a forged one (signed with another key in a member's name); and a ballot altered
/// after closing, which the recount names.
/// </summary>
public sealed class RefusalTests
{
    [Fact]
    public async Task A_late_ballot_is_refused_voting_closed_and_an_early_one_voting_not_open()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        s.Coordinator.Propose("p2", opens: Start.AddHours(3));
        var early = await s.VoteAsync(1, "p2", "yes");
        Assert.Equal((ExchangeState.Refused, CommitteeCodes.VotingNotOpen), (early.State, early.Code));
        s.Clock.Advance(TimeSpan.FromHours(1));
        var late = await s.VoteAsync(1, "p1", "yes");
        Assert.Equal((ExchangeState.Refused, CommitteeCodes.VotingClosed), (late.State, late.Code));
        Assert.Empty(s.Close("p1").GetProperty("tally").GetProperty("ballots").EnumerateArray());
    }

    [Fact]
    public async Task After_the_decision_no_ballot_is_taken()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        s.Close("p1");
        var after = await s.VoteAsync(2, "p1", "yes");
        Assert.Equal(CommitteeCodes.VotingClosed, after.Code);
    }

    [Fact]
    public async Task A_non_members_ballot_and_an_unknown_option_are_refused_and_not_counted()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        var outsider = new CommitteeNode(s.Network, "outsider", s.Clock);
        s.Coordinator.Propose("p1");
        var stranger = await outsider.Service.VoteAsync(Admin, s.ProposalsActor, "p1", "yes", null, CancellationToken.None);
        Assert.Equal((ExchangeState.Refused, CommitteeCodes.NotAMember), (stranger.State, stranger.Code));
        var unknown = await s.VoteAsync(1, "p1", "maybe");
        Assert.Equal((ExchangeState.Refused, CommitteeCodes.UnknownOption), (unknown.State, unknown.Code));
        var nothing = await s.VoteAsync(1, "p9", "yes");
        Assert.Equal(CommitteeCodes.ProposalUnknown, nothing.Code);
        Assert.Empty(s.Close("p1").GetProperty("tally").GetProperty("ballots").EnumerateArray());
    }

    [Fact]
    public async Task A_forged_ballot_signed_with_another_key_in_a_members_name_is_refused()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        var victim = s.Members[1];
        using var forgerKey = Federation.Signatures.Keys.Ed25519SigningKey.Generate();
        var id = $"{victim.Actor}#requests/forged";
        var body = JsonSerializer.SerializeToElement(new { proposal = "p1", option = "no" });
        var activity = new JsonObject
        {
            ["id"] = id, ["type"] = "Offer", ["actor"] = victim.Actor, ["target"] = s.ProposalsActor,
            ["object"] = new JsonObject { ["type"] = "commons:Request", ["commons:requestType"] = "committee.vote", ["commons:data"] = JsonNode.Parse(body.GetRawText()) },
        };
        var forged = TestProofs.SignAs(victim.Actor, forgerKey, Doc(activity), s.Clock);
        var answer = await s.Members[2].Gateway.DeliverAsync(Admin, id, s.ProposalsActor, "committee.vote", body, forged, CancellationToken.None);
        Assert.Equal((ExchangeState.Refused, "bad_signature"), (answer.State, answer.Code));
        Assert.Empty(s.Close("p1").GetProperty("tally").GetProperty("ballots").EnumerateArray());
    }

    [Fact]
    public async Task A_ballot_altered_after_closing_makes_the_recount_fail_naming_it()
    {
        await using var s = await CommitteeScenario.StartAsync(5);
        s.Coordinator.Propose("p1");
        await s.VoteManyAsync("p1", yes: 3, no: 1, abstain: 0);
        var decision = JsonNode.Parse(s.Close("p1").GetRawText())!.AsObject();
        var ballots = decision["tally"]!["ballots"]!.AsArray();
        var victim = ballots.Select((b, i) => (b, i)).First(x => x.b!["option"]!.GetValue<string>() == "no");
        victim.b!["option"] = "yes";
        victim.b!["signed"]!["object"]!["commons:data"]!["option"] = "yes";

        var member = s.Members[3];
        member.Replicate(s.DecisionsActor, "p1", Doc(decision));
        var report = await member.Service.RecountAsync(Admin, "p1", CancellationToken.None);
        Assert.False(report.Verified);
        var named = Assert.Single(report.Failures, f => f.Ballot is not null);
        Assert.Equal(victim.i + 1, named.Ballot);
        Assert.Equal(victim.b!["voter"]!.GetValue<string>(), named.Voter);
        Assert.Equal("ballot_bad_signature", named.Code);
        Assert.Contains(report.Failures, f => f.Code.StartsWith("tally_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ballot_moved_to_another_proposal_or_counted_under_another_option_is_named()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        s.Coordinator.Propose("p1");
        s.Coordinator.Propose("p2");
        await s.VoteManyAsync("p1", 2, 0, 0);
        var other = (await s.VoteAsync(2, "p2", "no")).SentJson!;
        var decision = JsonNode.Parse(s.Close("p1").GetRawText())!.AsObject();
        var ballots = decision["tally"]!["ballots"]!.AsArray();
        ballots[0]!["option"] = "no";
        ballots.Add(new JsonObject { ["voter"] = s.Members[2].Actor, ["option"] = "no", ["signed"] = JsonNode.Parse(other) });
        var report = await s.Coordinator.Recount.VerifyAsync("p1", Doc(decision), s.DecisionsActor, CancellationToken.None);
        Assert.Contains(report.Failures, f => f is { Ballot: 1, Code: "ballot_option_mismatch" });
        Assert.Contains(report.Failures, f => f is { Ballot: 3, Code: "ballot_wrong_proposal" });
    }
}
