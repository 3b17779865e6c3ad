using Commons.Modules.Committee.Kinds;

namespace Commons.Modules.Committee.Tests;

/// <summary>Counting alone: weights, the quorum's edge, each rule's edge, choices and their tie.</summary>
public sealed class TallyTests
{
    private static readonly CommitteeMember[] Four = [new("a", 1m), new("b", 1m), new("c", 1m), new("d", 1m)];

    [Theory]
    [InlineData(VotingRules.Simple, "yes,no", Outcomes.Rejected)]
    [InlineData(VotingRules.Simple, "yes,yes,no", Outcomes.Adopted)]
    [InlineData(VotingRules.TwoThirds, "yes,yes,no", Outcomes.Adopted)]
    [InlineData(VotingRules.TwoThirds, "yes,no,abstain,abstain", Outcomes.Rejected)]
    [InlineData(VotingRules.TwoThirds, "abstain,abstain", Outcomes.Rejected)]
    [InlineData(VotingRules.Consent, "abstain,abstain", Outcomes.Adopted)]
    [InlineData(VotingRules.Consent, "yes,yes,yes,no", Outcomes.Rejected)]
    [InlineData(VotingRules.Simple, "yes", Outcomes.NoQuorum)]
    public void Yes_no_rules(string rule, string votes, string expected)
    {
        var ballots = votes.Split(',').Select((o, i) => (Four[i].Actor, o));
        Assert.Equal(expected, Tally.Count(Four, ballots.ToList(), ProposalTerms.YesNoAbstain, 0.5m, rule).Outcome);
    }

    [Fact]
    public void The_quorum_is_a_share_of_the_weight_and_met_at_its_edge()
    {
        CommitteeMember[] weighted = [new("a", 2.5m), new("b", 0.5m), new("c", 1m), new("d", 1m)];
        var half = Tally.Count(weighted, [("a", "yes")], ProposalTerms.YesNoAbstain, 0.5m, VotingRules.Simple);
        Assert.Equal((Outcomes.Adopted, 2.5m, 5m), (half.Outcome, half.Voted, half.Total));
        var under = Tally.Count(weighted, [("b", "yes"), ("c", "yes")], ProposalTerms.YesNoAbstain, 0.5m, VotingRules.Simple);
        Assert.Equal(Outcomes.NoQuorum, under.Outcome);
    }

    [Fact]
    public void With_choices_a_tie_at_the_top_is_rejected_and_two_thirds_needs_two_thirds_of_the_weight_cast()
    {
        string[] options = ["hall", "garden", "abstain"];
        var tie = Tally.Count(Four, [("a", "hall"), ("b", "garden"), ("c", "abstain")], options, 0.5m, VotingRules.Simple);
        Assert.Equal((Outcomes.Rejected, (string?)null), (tie.Outcome, tie.Chosen));
        var ahead = Tally.Count(Four, [("a", "hall"), ("b", "hall"), ("c", "garden")], options, 0.5m, VotingRules.TwoThirds);
        Assert.Equal((Outcomes.Adopted, "hall"), (ahead.Outcome, ahead.Chosen));
        var short_ = Tally.Count(Four, [("a", "hall"), ("b", "hall"), ("c", "garden"), ("d", "garden")], options, 0.5m, VotingRules.TwoThirds);
        Assert.Equal(Outcomes.Rejected, short_.Outcome);
    }
}
