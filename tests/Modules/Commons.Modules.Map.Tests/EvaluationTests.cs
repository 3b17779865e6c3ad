using Commons.Modules.Map.Tests.Evaluation;
using Xunit.Abstractions;

namespace Commons.Modules.Map.Tests;

/// <summary>The matcher on the labelled set: never a broken hard rule, never a must-not pair, and most good offers in the top five.</summary>
public sealed class EvaluationTests(ITestOutputHelper output)
{
    /// <summary>The floor recall@5 may not fall under (the set's figure is in bench/README.md).</summary>
    public const double RecallFloor = 0.85;

    private readonly EvaluationResult _result = EvaluationResult.Of(EvaluationSet.Load());

    [Fact]
    public void The_set_is_as_large_as_the_issue_asks()
    {
        var set = EvaluationSet.Load();
        Assert.True(set.Needs.Count >= 40, $"{set.Needs.Count} needs");
        Assert.True(set.Offers.Count >= 80, $"{set.Offers.Count} offers");
    }

    [Fact]
    public void No_match_breaks_a_hard_rule_or_a_must_not_label()
    {
        foreach (var v in _result.Violations) output.WriteLine(v);
        Assert.Equal(0, _result.HardRuleViolations);
        Assert.Equal(0, _result.MustNotViolations);
    }

    [Fact]
    public void Recall_at_five_stays_above_the_floor()
    {
        foreach (var m in _result.Misses) output.WriteLine(m);
        output.WriteLine($"recall@5 {_result.RecallAt5:0.000} precision {_result.Precision:0.000} ({_result.Returned} returned, {_result.ReturnedUnlabelled} unlabelled)");
        Assert.True(_result.RecallAt5 >= RecallFloor, $"recall@5 {_result.RecallAt5:0.000} < {RecallFloor}");
    }

    [Fact]
    public void Each_need_s_top_five_is_shown_with_its_reasons()
    {
        var set = EvaluationSet.Load();
        var index = new Matching.MatchIndex(set.Offers);
        foreach (var need in set.Needs)
        {
            output.WriteLine($"{need.Need.Id} {need.Need.Title} (should {string.Join(',', need.Should)}; must not {string.Join(',', need.MustNot)})");
            foreach (var m in index.For(need.Need, EvaluationSet.Now, 5))
                output.WriteLine($"   {m.Listing.Id} {m.Score:0.00} {m.Listing.Title} | {string.Join("; ", m.Reasons.Select(r => r.Code + ": " + r.Detail))}");
        }
        Assert.NotEmpty(set.Needs);
    }
}
