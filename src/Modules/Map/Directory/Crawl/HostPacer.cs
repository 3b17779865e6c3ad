using Commons.Core.Federation;

namespace Commons.Modules.Map.Directory.Crawl;

/// <summary>
/// The crawl's limits on the wire, asked before every request: at most one request to a host per interval (it waits,
/// on the injected clock, until the host's turn comes) and at most a number of requests per run (then it stops the run).
/// One per run; the crawl sends one request at a time.
/// </summary>
internal sealed class HostPacer(TimeProvider clock, TimeSpan interval, int maxFetches) : IFetchGate
{
    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.OrdinalIgnoreCase);

    public int Fetches { get; private set; }
    public bool CapReached { get; private set; }

    public async Task EnterAsync(Uri url, CancellationToken ct)
    {
        if (Fetches >= maxFetches)
        {
            CapReached = true;
            throw new PublicFetchException(PublicFetchFailure.Stopped, $"the run's cap of {maxFetches} requests is reached");
        }
        var host = url.Authority;
        if (_last.TryGetValue(host, out var last) && last + interval - clock.GetUtcNow() is { Ticks: > 0 } wait)
            await Task.Delay(wait, clock, ct).ConfigureAwait(false);
        _last[host] = clock.GetUtcNow();
        Fetches++;
    }
}
