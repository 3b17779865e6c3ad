namespace Commons.Modules.Committee.Kinds;

/// <summary>The outcomes a closed proposal can have.</summary>
public static class Outcomes
{
    public const string Adopted = "adopted", Rejected = "rejected", NoQuorum = "no_quorum";
}

/// <summary>A count: weight per option, the weight that voted and the committee's whole weight, the outcome and, with choices, the one adopted.</summary>
public sealed record TallyResult(IReadOnlyDictionary<string, decimal> Counts, decimal Voted, decimal Total, string Outcome, string? Chosen);

/// <summary>
/// Counting, the same on the coordinator at closing and on any member at a recount. Each member's ballot counts with
/// its weight. The quorum is the share of the whole weight that voted (abstaining counts). Yes / no: simple needs more
/// yes than no (a tie is rejected), two-thirds needs yes to be at least two thirds of yes and no, consent needs no
/// "no" at all. Choices (abstain left out): simple needs one choice ahead of every other, two-thirds one choice with
/// at least two thirds of the weight cast. Decimal arithmetic throughout.
/// </summary>
public static class Tally
{
    public static TallyResult Count(IReadOnlyList<CommitteeMember> members, IEnumerable<(string Voter, string Option)> ballots,
        IReadOnlyList<string> options, decimal quorum, string rule)
    {
        var counts = options.ToDictionary(o => o, _ => 0m, StringComparer.Ordinal);
        var voted = 0m;
        foreach (var (voter, option) in ballots)
        {
            var weight = members.First(m => m.Actor == voter).Weight;
            counts[option] += weight;
            voted += weight;
        }
        var total = members.Sum(m => m.Weight);
        if (total <= 0 || voted < quorum * total) return new TallyResult(counts, voted, total, Outcomes.NoQuorum, null);
        var (outcome, chosen) = ProposalTerms.IsYesNoOptions(options) ? YesNo(counts, rule) : Choices(counts, rule);
        return new TallyResult(counts, voted, total, outcome, chosen);
    }

    private static (string, string?) YesNo(Dictionary<string, decimal> counts, string rule)
    {
        var yes = counts[ProposalTerms.Yes];
        var no = counts[ProposalTerms.No];
        var adopted = rule switch
        {
            VotingRules.Simple => yes > no,
            VotingRules.TwoThirds => yes + no > 0 && 3 * yes >= 2 * (yes + no),
            VotingRules.Consent => no == 0,
            _ => false,
        };
        return (adopted ? Outcomes.Adopted : Outcomes.Rejected, null);
    }

    private static (string, string?) Choices(Dictionary<string, decimal> counts, string rule)
    {
        var cast = counts.Where(c => c.Key != ProposalTerms.Abstain).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var sum = cast.Sum(c => c.Value);
        if (cast.Count == 0 || sum == 0) return (Outcomes.Rejected, null);
        var top = cast[0];
        var adopted = rule switch
        {
            VotingRules.Simple => cast.Count == 1 || top.Value > cast[1].Value,
            VotingRules.TwoThirds => 3 * top.Value >= 2 * sum,
            _ => false,
        };
        return adopted ? (Outcomes.Adopted, top.Key) : (Outcomes.Rejected, null);
    }
}
