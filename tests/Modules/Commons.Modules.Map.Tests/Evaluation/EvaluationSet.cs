using System.Text.Json;
using Commons.Modules.Map.Matching;

namespace Commons.Modules.Map.Tests.Evaluation;

/// <summary>A labelled need: the offers that should match it and those that must not.</summary>
public sealed record LabelledNeed(Listing Need, IReadOnlyList<string> Should, IReadOnlyList<string> MustNot);

/// <summary>
/// The labelled evaluation set (Evaluation/needs.json, offers.json): fictional Brussels organisations' needs and offers
/// in French, Dutch and English, some misspelt or without accents, some expired, too small or outside the window, false
/// friends and cross-language pairs. Each need names the offers that should and must not match. "Now" is 1 April 2026.
/// </summary>
public sealed class EvaluationSet
{
    public static readonly DateTimeOffset Now = new(2026, 4, 1, 10, 0, 0, TimeSpan.FromHours(2));

    public IReadOnlyList<LabelledNeed> Needs { get; }
    public IReadOnlyList<Listing> Offers { get; }

    private EvaluationSet(IReadOnlyList<LabelledNeed> needs, IReadOnlyList<Listing> offers) => (Needs, Offers) = (needs, offers);

    /// <summary>Reads the set from <paramref name="folder"/> (default: the Evaluation folder beside the test assembly).</summary>
    public static EvaluationSet Load(string? folder = null)
    {
        folder ??= Path.Combine(AppContext.BaseDirectory, "Evaluation");
        var offers = Items(Path.Combine(folder, "offers.json")).Select(ToListing).ToList();
        var needs = Items(Path.Combine(folder, "needs.json")).Select(n => new LabelledNeed(ToListing(n),
            n.GetProperty("should").EnumerateArray().Select(e => e.GetString()!).ToList(),
            n.GetProperty("must_not").EnumerateArray().Select(e => e.GetString()!).ToList())).ToList();
        return new EvaluationSet(needs, offers);
    }

    private static IEnumerable<JsonElement> Items(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static Listing ToListing(JsonElement e) =>
        Listing.Read(e.GetProperty("id").GetString()!, "evaluation", e.GetProperty("organisation").GetString()!, e)
        ?? throw new InvalidDataException($"{e.GetProperty("id")} is no listing");
}

/// <summary>What the matcher does on a set: recall@5 over the should-match pairs, precision of what it returns, violations.</summary>
public sealed record EvaluationResult(int ShouldPairs, int FoundInTop5, int Returned, int ReturnedLabelledGood, int ReturnedUnlabelled,
    int MustNotViolations, int HardRuleViolations, IReadOnlyList<string> Misses, IReadOnlyList<string> Violations)
{
    public double RecallAt5 => ShouldPairs == 0 ? 1 : (double)FoundInTop5 / ShouldPairs;
    /// <summary>Of what is returned, the share labelled "should match" (an unlabelled return counts against it).</summary>
    public double Precision => Returned == 0 ? 1 : (double)ReturnedLabelledGood / Returned;

    public static EvaluationResult Of(EvaluationSet set)
    {
        var index = new MatchIndex(set.Offers);
        int should = 0, found = 0, returned = 0, good = 0, unlabelled = 0, mustNot = 0, hard = 0;
        var misses = new List<string>();
        var violations = new List<string>();
        foreach (var need in set.Needs)
        {
            var matches = index.For(need.Need, EvaluationSet.Now, 5);
            var ids = matches.Select(m => m.Listing.Id).ToList();
            should += need.Should.Count;
            foreach (var s in need.Should)
                if (ids.Contains(s)) found++;
                else misses.Add($"{need.Need.Id} missed {s}");
            returned += matches.Count;
            foreach (var m in matches)
            {
                if (need.Should.Contains(m.Listing.Id)) good++;
                else if (!need.MustNot.Contains(m.Listing.Id)) unlabelled++;
                if (need.MustNot.Contains(m.Listing.Id)) { mustNot++; violations.Add($"{need.Need.Id} returned {m.Listing.Id} (must not)"); }
                if (HardRules.Broken(need.Need, m.Listing, EvaluationSet.Now) is { } rule) { hard++; violations.Add($"{need.Need.Id} returned {m.Listing.Id} ({rule})"); }
            }
        }
        return new EvaluationResult(should, found, returned, good, unlabelled, mustNot, hard, misses, violations);
    }
}
