namespace Commons.Bench;

/// <summary>
/// The process's garbage collections so far: counts by generation, time paused, bytes allocated. Taken before and after a
/// phase, the difference says how much of the phase's CPU and wall time the collector took (cheap: counters the runtime keeps).
/// </summary>
public readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated, long Promoted)
{
    public static GcCounts Now()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), 0)
        {
            Promoted = info.PromotedBytes,
        };
    }

    /// <summary>Counts and pause over the phase; <see cref="Promoted"/> is the last collection's, not a difference.</summary>
    public static GcCounts operator -(GcCounts after, GcCounts before) =>
        new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Paused - before.Paused, after.Allocated - before.Allocated, after.Promoted);

    /// <summary>A collection of generation n counts in every lower one too (the runtime's counting): shown as the runtime counts.</summary>
    public string Describe(int records, double seconds) =>
        $"gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2} collections; paused {Paused.TotalMilliseconds:N0} ms ({Paused.TotalSeconds / seconds:P1} of the wall), " +
        $"{Allocated / 1024.0 / records:0.0} KB allocated a record, last collection promoted {Promoted / 1024.0:N0} KB";
}
