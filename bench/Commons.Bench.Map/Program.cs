using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Tests.Evaluation;
using LiteDB;

namespace Commons.Bench.Map;

/// <summary>
/// <c>dotnet run -c Release --project bench/Commons.Bench.Map [-- --needs N --offers N --set FOLDER]</c>: the matcher's
/// quality on the labelled set, or on another set in the same shape (FOLDER/needs.json and offers.json): recall@5,
/// precision, must-not and hard-rule violations, each miss and violation; then its latency for N needs against M offers
/// built from the set's texts, beside a raw scan of the same documents (every pair through the hard rules and a plain
/// word overlap, no index) and a raw LiteDB read of the same offers, in the same run. <c>-- directory</c>: the
/// directory search instead (<see cref="DirectoryBench"/>); <c>-- views</c>: a view of the matches with and without the
/// kept index (<see cref="ViewsBench"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("directory"))
        {
            DirectoryBench.Run(Arg(args, "--profiles", 5000), Arg(args, "--repeat", 20));
            return 0;
        }
        if (args.Contains("views"))
        {
            ViewsBench.Run(EvaluationSet.Load(Path.Combine(RepositoryRoot(), "tests", "Modules", "Commons.Modules.Map.Tests", "Evaluation")),
                Arg(args, "--needs", 20), Arg(args, "--offers", 10000), Arg(args, "--repeat", 3));
            return 0;
        }
        var needs = Arg(args, "--needs", 1000);
        var offers = Arg(args, "--offers", 10000);
        var root = RepositoryRoot();
        var folder = Array.IndexOf(args, "--set") is var s and >= 0 && s + 1 < args.Length ? args[s + 1]
            : Path.Combine(root, "tests", "Modules", "Commons.Modules.Map.Tests", "Evaluation");
        var set = EvaluationSet.Load(folder);
        var result = EvaluationResult.Of(set);
        Console.WriteLine($"evaluation set: {set.Needs.Count} needs, {set.Offers.Count} offers, {result.ShouldPairs} should-match pairs");
        Console.WriteLine($"recall@5            {result.RecallAt5:0.000} ({result.FoundInTop5}/{result.ShouldPairs})");
        Console.WriteLine($"precision           {result.Precision:0.000} ({result.ReturnedLabelledGood}/{result.Returned} returned are labelled good; {result.ReturnedUnlabelled} unlabelled)");
        Console.WriteLine($"must-not violations {result.MustNotViolations}");
        Console.WriteLine($"hard-rule violations {result.HardRuleViolations}");
        foreach (var line in result.Misses.Concat(result.Violations)) Console.WriteLine($"  {line}");

        var random = new Random(12);
        var manyOffers = Enumerable.Range(0, offers).Select(i => Vary(set.Offers[random.Next(set.Offers.Count)], $"o{i}", random)).ToList();
        var manyNeeds = Enumerable.Range(0, needs).Select(i => Vary(set.Needs[random.Next(set.Needs.Count)].Need, $"n{i}", random)).ToList();

        var clock = Stopwatch.StartNew();
        var index = new MatchIndex(manyOffers);
        var built = clock.Elapsed;
        clock.Restart();
        var found = 0;
        foreach (var need in manyNeeds) found += index.For(need, EvaluationSet.Now, 5).Count;
        var matched = clock.Elapsed;

        clock.Restart();
        var raw = 0;
        foreach (var need in manyNeeds)
        {
            var words = TitleWords(need.Title);
            foreach (var offer in manyOffers)
                if (HardRules.Broken(need, offer, EvaluationSet.Now) is null && TitleWords(offer.Title).Overlaps(words)) raw++;
        }
        var scanned = clock.Elapsed;

        var (written, read) = LiteDbScan(manyOffers);

        Console.WriteLine();
        Console.WriteLine($"latency, {needs:N0} needs × {offers:N0} offers ({Environment.ProcessorCount} cores, load {Load()})");
        Console.WriteLine($"| what | total | per need |");
        Console.WriteLine($"|---|---|---|");
        Console.WriteLine($"| matcher: index the offers (once) | {Ms(built)} | |");
        Console.WriteLine($"| matcher: top 5 for each need ({found:N0} matches) | {Ms(matched)} | {Ms(matched / needs)} |");
        Console.WriteLine($"| raw scan: every pair through the hard rules + plain title-word overlap ({raw:N0} pairs) | {Ms(scanned)} | {Ms(scanned / needs)} |");
        Console.WriteLine($"| raw LiteDB: read all {offers:N0} offers back (FindAll; insert took {Ms(written)}) | {Ms(read)} | |");
        return result.MustNotViolations == 0 && result.HardRuleViolations == 0 ? 0 : 1;
    }

    /// <summary>A listing like <paramref name="l"/> under another id, organisation and commune, some without accents.</summary>
    private static Listing Vary(Listing l, string id, Random random) => l with
    {
        Id = id, Organisation = $"org{random.Next(500)}",
        Commune = Communes.All[random.Next(Communes.All.Count)].Code,
        Title = random.Next(5) == 0 ? Commons.Modules.Map.Matching.Words.Fold(l.Title) : l.Title,
    };

    private static HashSet<string> TitleWords(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', ':', '/', '\'', '(', ')'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 3).ToHashSet();

    private static (TimeSpan Written, TimeSpan Read) LiteDbScan(List<Listing> offers)
    {
        var folder = Path.Combine(Path.GetTempPath(), "commons-bench-map-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var db = new LiteDatabase($"Filename={Path.Combine(folder, "raw.db")};Connection=direct");
            var collection = db.GetCollection("offers");
            var docs = offers.Select(o => LiteDB.JsonSerializer.Deserialize(System.Text.Json.JsonSerializer.Serialize(o)).AsDocument).ToList();
            var clock = Stopwatch.StartNew();
            collection.InsertBulk(docs);
            var written = clock.Elapsed;
            clock.Restart();
            var count = collection.FindAll().Count();
            if (count != offers.Count) throw new InvalidOperationException("the raw scan lost documents");
            return (written, clock.Elapsed);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    internal static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.000" : "0", CultureInfo.InvariantCulture) + " ms";

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
