namespace Commons.Node.Hosting;

/// <summary>
/// One full, compacting collection shortly after the node has started, which gives the start's garbage back to the
/// system. The workstation GC sizes its first generation from the CPU's cache (about 25 MiB on a 32 MiB L3 cache) and
/// the start fills it, so an idle node otherwise holds those pages until a collection happens to run, seconds to
/// minutes later (bench/README.md, s8-memory: idle 124 → 112 MiB three seconds after start). Then, once the JIT has
/// handed its work memory back to the C library, a second such collection and the C library's free pages given back
/// (<see cref="NativeHeap"/>, s9-memory). Runs once, off the start path.
/// </summary>
internal sealed class StartupCompaction(IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>Long enough for the first requests after start (health probes, the first page) to have run.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The runtime keeps the JIT's freed work memory in a cache that its finalizer thread empties in two steps, each at
    /// least two seconds after the last (coreclr's JitHost::Reclaim, run whenever that thread wakes). So the trim waits
    /// for two more steps, waking that thread after each interval.
    /// </summary>
    public static readonly TimeSpan JitCacheFlushInterval = TimeSpan.FromSeconds(2.1);

    private readonly TaskCompletionSource<int> _collected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool?> _trimmed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The number of full collections the process had made once this one finished.</summary>
    public Task<int> Collected => _collected.Task;

    /// <summary>What the native heap's trim gave: null where the C library has none.</summary>
    public Task<bool?> NativeHeapTrimmed => _trimmed.Task;

    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(() => _ = CompactAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task CompactAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(Delay, stopping);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // Waiting for the finalizers also wakes the finalizer thread, which is what empties the JIT's cache.
            GC.WaitForPendingFinalizers();
            _collected.TrySetResult(GC.CollectionCount(GC.MaxGeneration));
            for (var step = 0; step < 2; step++)
            {
                await Task.Delay(JitCacheFlushInterval, stopping);
                GC.WaitForPendingFinalizers();
            }
            // Once more, now that the workers' first rounds have run: what they allocated meanwhile is garbage too.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            _trimmed.TrySetResult(NativeHeap.Trim());
        }
        catch (OperationCanceledException)
        {
            _collected.TrySetCanceled(stopping);
            _trimmed.TrySetCanceled(stopping);
        }
    }
}
