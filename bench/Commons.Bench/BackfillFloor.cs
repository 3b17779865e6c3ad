namespace Commons.Bench;

/// <summary>
/// The best backfill this machine allows, from the run's own measurements: per record, the CPU no backfill can skip —
/// B checks two Ed25519 signatures (one in a v2 batch of record objects) and stores the replica document (a page a transaction: at least the raw <c>InsertBulk</c>
/// of the same documents by pages, which costs far less than one raw <c>Insert</c> a transaction), A reads the record,
/// and for a first follower A makes the two signatures (one in v2) — spread over all cores, against a raw <c>Insert</c>'s time. All in
/// CPU time: on a machine shared with others the wall clock counts their work too (a quiet machine gives a loop the whole
/// core, and then its wall time is its CPU time). A and B share the cores here, as they would on one machine; B's store
/// is one writer, so it bounds the rate too.
/// </summary>
public static class BackfillFloor
{
    public sealed record Measured(
        double VerifyMicros, double SignMicros, double InsertCpuMicros, double InsertBulkCpuMicros, double InsertWallMicros, double ReadMicros,
        (double Rate, double CpuMicros) FirstFollower, (double Rate, double CpuMicros) NextFollower,
        (double Rate, double CpuMicros) FirstFollowerV2, (double Rate, double CpuMicros) NextFollowerV2);

    public static void Print(Measured m)
    {
        var cores = Environment.ProcessorCount;
        var next = 2 * m.VerifyMicros + m.InsertBulkCpuMicros + m.ReadMicros;
        var first = next + 2 * m.SignMicros;
        // The v2 batch carries the signed record objects alone: one verify and, for a first follower, one sign a record.
        var nextV2 = m.VerifyMicros + m.InsertBulkCpuMicros + m.ReadMicros;
        var firstV2 = nextV2 + m.SignMicros;
        // The best wall time a record: all the unavoidable CPU spread over the cores, but never below the one writer's share.
        double Best(double cpu) => Math.Max(cpu / cores, m.InsertBulkCpuMicros);
        double Ratio(double wallMicros) => m.InsertCpuMicros / wallMicros;
        var insertRate = 1e6 / m.InsertWallMicros;

        Console.WriteLine();
        Console.WriteLine($"The floor on this machine ({cores} cores shared by A and B), µs of CPU a record, from this run's own measurements:");
        Console.WriteLine();
        Console.WriteLine("| per record | first follower (A signs) | next follower (proofs kept) | v2 first follower | v2 next follower |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| B: Ed25519 verifies (raw, one thread, CPU; two, v2 one) | {2 * m.VerifyMicros:0.0} | {2 * m.VerifyMicros:0.0} | {m.VerifyMicros:0.0} | {m.VerifyMicros:0.0} |");
        Console.WriteLine($"| B: store the replica document (raw `InsertBulk` by pages, CPU; one raw `Insert` a transaction: {m.InsertCpuMicros:0.0}) | {m.InsertBulkCpuMicros:0.0} | {m.InsertBulkCpuMicros:0.0} | {m.InsertBulkCpuMicros:0.0} | {m.InsertBulkCpuMicros:0.0} |");
        Console.WriteLine($"| A: read the record (stage split, one query a page, CPU) | {m.ReadMicros:0.0} | {m.ReadMicros:0.0} | {m.ReadMicros:0.0} | {m.ReadMicros:0.0} |");
        Console.WriteLine($"| A: Ed25519 signs (raw, one thread, CPU; two, v2 one) | {2 * m.SignMicros:0.0} | — | {m.SignMicros:0.0} | — |");
        Console.WriteLine($"| unavoidable CPU a record | {first:0.0} | {next:0.0} | {firstV2:0.0} | {nextV2:0.0} |");
        Console.WriteLine($"| best wall time a record: max(CPU ÷ {cores} cores, the store's CPU) | {Best(first):0.0} | {Best(next):0.0} | {Best(firstV2):0.0} | {Best(nextV2):0.0} |");
        Console.WriteLine($"| **best ratio**: raw `Insert` CPU ÷ best wall time | **{Ratio(Best(first)):P1}** | **{Ratio(Best(next)):P1}** | **{Ratio(Best(firstV2)):P1}** | **{Ratio(Best(nextV2)):P1}** |");
        Console.WriteLine($"| ours: CPU a record (A and B, one process) | {m.FirstFollower.CpuMicros:0.0} | {m.NextFollower.CpuMicros:0.0} | {m.FirstFollowerV2.CpuMicros:0.0} | {m.NextFollowerV2.CpuMicros:0.0} |");
        Console.WriteLine($"| ours with both cores busy: raw `Insert` CPU ÷ (our CPU ÷ {cores}) | {Ratio(Best(m.FirstFollower.CpuMicros)):P1} | {Ratio(Best(m.NextFollower.CpuMicros)):P1} | {Ratio(Best(m.FirstFollowerV2.CpuMicros)):P1} | {Ratio(Best(m.NextFollowerV2.CpuMicros)):P1} |");
        Console.WriteLine($"| ours measured: our rate ÷ raw `Insert` rate ({insertRate:N0}/s), wall clocks | {Measured(m.FirstFollower)} | {Measured(m.NextFollower)} | {Measured(m.FirstFollowerV2)} | {Measured(m.NextFollowerV2)} |");
        string Measured((double Rate, double CpuMicros) run) => $"{run.Rate / insertRate:P1} ({run.Rate:N0}/s)";
    }
}
