using Commons.Modules.Employers.Allocation;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Commons.Modules.Employers.Tests;

/// <summary>For any cost and any hours (or shares) with two decimals: the parts add up to the cost exactly, none is negative, the same input gives the same parts.</summary>
public sealed class CostSplitPropertyTests
{
    private static Arbitrary<(decimal Cost, List<MemberWeight> Weights)> Splits() =>
        (from cents in Gen.Choose(0, int.MaxValue).Select(c => (long)c * 47 % 100_000_000_000L)
         from count in Gen.Choose(1, 30)
         from hundredths in Gen.ListOf(Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(0, 74_400))), count)
         where hundredths.Any(h => h > 0)
         select (cents / 100m, hundredths.Select((h, i) => new MemberWeight($"https://m{i:D2}.example/actor", h / 100m)).ToList()))
        .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property The_parts_add_up_to_the_cost_exactly_and_none_is_negative() =>
        Prop.ForAll(Splits(), s =>
        {
            var parts = CostSplit.Split(s.Cost, s.Weights);
            return parts.Sum(p => p.Amount) == s.Cost && parts.All(p => p.Amount >= 0 && decimal.Round(p.Amount, 2) == p.Amount);
        });

    [Property(MaxTest = 300)]
    public Property The_same_input_in_any_order_gives_the_same_parts() =>
        Prop.ForAll(Splits(), s =>
        {
            var once = CostSplit.Split(s.Cost, s.Weights).ToDictionary(p => p.Member, p => p.Amount);
            var reversed = CostSplit.Split(s.Cost, s.Weights.AsEnumerable().Reverse().ToList()).ToDictionary(p => p.Member, p => p.Amount);
            return once.Count == reversed.Count && once.All(p => reversed[p.Key] == p.Value);
        });

    [Property(MaxTest = 300)]
    public Property Each_part_is_within_a_cent_of_its_exact_pro_rata_and_nothing_goes_to_a_zero_weight() =>
        Prop.ForAll(Splits(), s =>
        {
            var total = s.Weights.Sum(w => w.Weight);
            var parts = CostSplit.Split(s.Cost, s.Weights);
            return parts.Zip(s.Weights).All(p =>
                Math.Abs(p.First.Amount - s.Cost * p.Second.Weight / total) < 0.01m && (p.Second.Weight > 0 || p.First.Amount == 0));
        });

    [Fact]
    public void Ties_in_the_remainder_go_to_the_first_member_id()
    {
        var parts = CostSplit.Split(0.02m, [new("c", 1), new("a", 1), new("b", 1)]);
        Assert.Equal([0.00m, 0.01m, 0.01m], parts.Select(p => p.Amount));
    }
}
