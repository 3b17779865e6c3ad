using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Commons.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "memory") return MemoryMode.Run(args[1..]);
        if (args.Length > 0 && args[0] == "backfill") return BackfillMode.Run(args[1..]);
        if (args.Length > 0 && args[0] == "ingest") return IngestMode.Run(args[1..]);
        if (args.Length > 0 && args[0] == "pages") return PagesMode.Run(args[1..]);
        if (args.Length > 0 && args[0] == "propagation") return PropagationMode.Run(args[1..]);
        if (args.Length > 0 && args[0] == "fanout") return FanOutMode.Run(args[1..]);
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("""
                usage: dotnet run -c Release --project bench/Commons.Bench [-- BenchmarkDotNet options, e.g. --filter *Insert* or *Federation*]
                       dotnet run -c Release --project bench/Commons.Bench -- memory [--records N] [--no-build] [--keep]
                       dotnet run -c Release --project bench/Commons.Bench -- backfill [--records N] [--page N] [--keep]
                       dotnet run -c Release --project bench/Commons.Bench -- ingest [--activities N] [--rounds N] [--concurrency N]
                       dotnet run -c Release --project bench/Commons.Bench -- pages [--records N] [--requests N] [--no-build]
                       dotnet run -c Release --project bench/Commons.Bench -- fanout [--rounds N]
                       dotnet run -c Release --project bench/Commons.Bench -- propagation [--changes N] [--node path/to/commons-node.dll] [--no-build]
                """);
            return 0;
        }

        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("InProcessShort");
        var artifacts = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(StatisticColumn.OperationsPerSecond)
            .WithArtifactsPath(artifacts);

        var loadBefore = LoadAverage();
        var summaries = BenchmarkSwitcher.FromTypes([typeof(StoreBenchmarks), typeof(CreateProfileBenchmarks), typeof(FederationBenchmarks), typeof(ValidationBenchmarks)])
            .Run(args.Length == 0 ? ["--filter", "*"] : args, config)
            .ToList();
        if (summaries.Count == 0) return 1;

        var table = RatioTable(summaries, loadBefore, LoadAverage());
        Console.WriteLine();
        Console.WriteLine(table);
        var file = Path.Combine(artifacts, "results", "commons-bench-summary.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, table);
        Console.WriteLine($"(also written to {file})");
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>The machine's load average (other processes compete for the same cores), or "n/a" off Linux.</summary>
    private static string LoadAverage()
    {
        try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    /// <summary>Pairs each "ours" result with the "raw" result of its category (LiteDB, or RSA-2048 for federation): time per record, records per second, ratio.</summary>
    private static string RatioTable(IEnumerable<Summary> summaries, string loadBefore, string loadAfter)
    {
        var rows = summaries.SelectMany(s => s.Reports)
            .Where(r => r.ResultStatistics is not null)
            .Select(r => (
                Category: r.BenchmarkCase.Descriptor.Categories.FirstOrDefault() ?? "?",
                Ours: r.BenchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Ours_", StringComparison.Ordinal),
                Mean: r.ResultStatistics!.Mean))
            .ToList();
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Commons Node vs raw baselines (LiteDB for the store, RSA-2048 for federation) — {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
        sb.AppendLine(inv, $"Load average (1, 5, 15 min) before the run: {loadBefore}; after: {loadAfter}");
        sb.AppendLine();
        sb.AppendLine("| measure (per record / delivery / activity) | Commons Node | raw, same run (machine limit) | ratio ours / raw (time) | ours as % of raw rate |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var category in rows.Select(r => r.Category).Distinct())
        {
            var ours = rows.FirstOrDefault(r => r.Category == category && r.Ours);
            var raw = rows.FirstOrDefault(r => r.Category == category && !r.Ours);
            string Cell(double ns) => ns > 0 ? $"{Time(ns)} ({Rate(ns)}/s)" : "—";
            var ratio = ours.Mean > 0 && raw.Mean > 0 ? (ours.Mean / raw.Mean).ToString("0.00", inv) + "x" : "—";
            var share = ours.Mean > 0 && raw.Mean > 0 ? (raw.Mean / ours.Mean * 100).ToString("0.#", inv) + " %" : "—";
            sb.AppendLine(inv, $"| {category} | {Cell(ours.Mean)} | {Cell(raw.Mean)} | {ratio} | {share} |");
        }
        return sb.ToString();

        string Time(double ns) => ns switch
        {
            >= 1_000_000 => (ns / 1_000_000).ToString("0.00", inv) + " ms",
            >= 1_000 => (ns / 1_000).ToString("0.0", inv) + " µs",
            _ => ns.ToString("0", inv) + " ns",
        };
        string Rate(double ns) => (1e9 / ns) switch
        {
            >= 1_000_000 => (1e9 / ns / 1_000_000).ToString("0.0", inv) + " M",
            >= 10_000 => (1e9 / ns / 1_000).ToString("0", inv) + " k",
            var r => r.ToString("0", inv),
        };
    }
}
