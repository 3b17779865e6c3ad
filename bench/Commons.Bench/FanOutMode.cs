using System.Diagnostics;
using System.Globalization;

namespace Commons.Bench;

/// <summary>
/// <c>-- fanout</c>: the fan-out benchmark of <see cref="FederationBenchmarks"/> (one change to 1,000 inboxes through the real
/// delivery processor, 10 loopback sinks) as a plain timed loop, for profiling with dotnet-trace and for quick rounds. Each
/// round measures ours, then the machine's limit right after on the same cores (RSA-2048 PKCS#1 SHA-256 signing on all
/// cores, as many signatures as deliveries); the ratio is the limit's time per signature ÷ ours per delivery. Medians.
/// The benchmark's set-up first delivers unmeasured rounds until the JIT has settled (<see cref="FederationBenchmarks.DeliveryWarmUpRounds"/>).
/// </summary>
public static class FanOutMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var rounds = 5;
        var withRaw = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[++i], Inv); break;
                // For a profiler: ours alone, so that every RSA signature in the trace is a delivery's.
                case "--no-raw": withRaw = false; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        Console.WriteLine($"fan-out: {FederationBenchmarks.Inboxes:N0} inboxes a round, {rounds} rounds + 1 warm-up (after at least {FederationBenchmarks.DeliveryWarmUpRounds} in the set-up, until the JIT settles), {Environment.ProcessorCount} cores, load {Load()}");
        var bench = new FederationBenchmarks();
        bench.SetupDelivery();
        bench.SetupRaw();
        var ours = new List<double>();
        var raw = new List<double>();
        var oursCpu = new List<double>();
        var rawCpu = new List<double>();
        try
        {
            for (var round = 0; round <= rounds; round++)
            {
                bench.EnqueueOneChange();
                var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
                var jitTime = System.Runtime.JitInfo.GetCompilationTime();
                var cpu = CpuMicros();
                var watch = Stopwatch.StartNew();
                bench.Ours_Deliver().GetAwaiter().GetResult();
                var oursMicros = watch.Elapsed.TotalMicroseconds / FederationBenchmarks.Inboxes;
                var oursCpuMicros = (CpuMicros() - cpu) / FederationBenchmarks.Inboxes;
                var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods;
                var jitMillis = (System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds;

                var batches = withRaw ? FederationBenchmarks.Inboxes / FederationBenchmarks.RawBatch : 0;
                cpu = CpuMicros();
                watch.Restart();
                for (var b = 0; b < batches; b++) bench.Raw_SignAllCores();
                var rawMicros = withRaw ? watch.Elapsed.TotalMicroseconds / (batches * FederationBenchmarks.RawBatch) : double.NaN;
                var rawCpuMicros = withRaw ? (CpuMicros() - cpu) / (batches * FederationBenchmarks.RawBatch) : double.NaN;
                var label = round == 0 ? "warm-up" : $"round {round}";
                Console.WriteLine(string.Create(Inv,
                    $"{label}: ours {oursMicros:0.0} µs per delivery, raw sign all cores {rawMicros:0.0} µs → {rawMicros / oursMicros * 100:0.0} %; CPU ours {oursCpuMicros:0} µs, raw {rawCpuMicros:0} µs → {rawCpuMicros / oursCpuMicros * 100:0.0} %; JIT during ours {jitted} methods, {jitMillis:0} ms"));
                if (round == 0) continue;
                ours.Add(oursMicros);
                raw.Add(rawMicros);
                oursCpu.Add(oursCpuMicros);
                rawCpu.Add(rawCpuMicros);
            }
        }
        finally
        {
            bench.CleanupRaw();
            bench.CleanupDelivery();
        }
        var o = Median(ours);
        var r = Median(raw);
        Console.WriteLine(string.Create(Inv, $"median: ours {o:0.0} µs ({1e6 / o:0} deliveries/s), raw sign all cores {r:0.0} µs ({1e6 / r:0}/s) → {r / o * 100:0.0} %; load {Load()}"));
        // On a busy machine the wall-clock ratio says how the scheduler shared the cores (16 delivery workers against the raw
        // loop's one thread per core), not what a delivery costs; the CPU time of the process does not depend on that.
        var oc = Median(oursCpu);
        var rc = Median(rawCpu);
        Console.WriteLine(string.Create(Inv, $"median CPU time: ours {oc:0} µs per delivery, raw {rc:0} µs per signature → {rc / oc * 100:0.0} % of a delivery's CPU is its signature's worth"));
        return 0;
    }

    /// <summary>User + system CPU time of this process so far (every thread: delivery workers, sinks, JIT, GC).</summary>
    private static double CpuMicros()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMicroseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Load()
    {
        try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
