using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Core.Schemas;
using Commons.Modules.Map.Kinds;

namespace Commons.Modules.Map.Directory.Crawl;

/// <summary>
/// Finds public profiles through public relationships. It starts from the nodes we know directly: the
/// relationships their profiles name (ours, and those we hold of the nodes we follow) are one step away, and a node we
/// know directly whose profile we do not hold is read at step 0. Breadth first, up to <see cref="CrawlOptions.Depth"/>
/// steps; each host once (so a cycle ends); one request at a time, paced per host and capped per run
/// (<see cref="HostPacer"/>). It reads through <see cref="IPublicDirectory"/>, unsigned: a node's public datasets of
/// kind map.profile and the first record of the first one. A profile that is not one (schema, size) is skipped with
/// its reason and nothing of it is kept. One run at a time.
/// </summary>
public sealed class DirectoryCrawler(NetworkDirectory directory, IPublicDirectory remote, IModuleStore modules, CrawlOptions options, TimeProvider clock)
{
    private static readonly Lazy<RecordSchema> ProfileSchema = new(() => RecordSchema.For(new ProfileKind().Schema));
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The last run, or null before the first.</summary>
    public CrawlRun? LastRun(Caller caller)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        return modules.Read(Module, CrawledNodes.LastRun);
    }

    /// <summary>An administrator's crawl, now; waits for one already running to end first.</summary>
    public Task<CrawlRun> CrawlAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.IsAdmin || !caller.CanWrite) throw new ForbiddenException("only an administrator starts the directory's crawl");
        return RunAsync(caller.Username, ct);
    }

    internal async Task<CrawlRun> RunAsync(string by, CancellationToken ct)
    {
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await CrawlOnceAsync(by, ct).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<CrawlRun> CrawlOnceAsync(string by, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var pacer = new HostPacer(clock, options.HostInterval, options.MaxFetchesPerRun);
        var known = directory.Direct().Nodes;
        var seen = new HashSet<string>(known.Where(n => n.IsUs || n.Profile is not null).Select(n => n.Host), StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<Step>();
        foreach (var n in known.Where(n => !n.IsUs && n.Profile is null && n.Address is not null)) queue.Enqueue(new Step(n.Address!, 0, null, null));
        foreach (var n in known.Where(n => n.Profile is not null))
            foreach (var r in n.Profile!.Relationships) queue.Enqueue(new Step(r.Url, 1, n.Host, r.Predicate));

        var found = new List<CrawledNode>();
        var skipped = new List<CrawlSkip>();
        while (queue.TryDequeue(out var step) && !pacer.CapReached)
        {
            if (!Uri.TryCreate(step.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || remote.IsThisNode(url)) continue;
            var host = url.Authority.ToLowerInvariant();
            if (step.Depth > options.Depth || !seen.Add(host)) continue;
            try
            {
                var node = await ReadAsync(url, host, step, pacer, ct).ConfigureAwait(false);
                found.Add(node);
                if (step.Depth < options.Depth)
                    foreach (var r in Organisation.Read(node.Profile)!.Relationships) queue.Enqueue(new Step(r.Url, step.Depth + 1, host, r.Predicate));
            }
            catch (PublicFetchException e) when (e.Failure != PublicFetchFailure.Stopped)
            {
                skipped.Add(new CrawlSkip(step.Url, e.Message));
            }
            catch (PublicFetchException)
            {
                skipped.Add(new CrawlSkip(step.Url, "not read: the run's cap of requests was reached"));
            }
        }
        var run = new CrawlRun(started, clock.GetUtcNow(), by, pacer.Fetches, found.Count, !pacer.CapReached, skipped);
        modules.Write(Module, data =>
        {
            CrawledNodes.Save(data, found, run);
            return 0;
        });
        return run;
    }

    /// <summary>The public profile of the node at <paramref name="url"/>; throws with the reason when there is none to keep.</summary>
    private async Task<CrawledNode> ReadAsync(Uri url, string host, Step step, HostPacer pacer, CancellationToken ct)
    {
        var datasets = await remote.DatasetsAsync(url, ProfileKind.KindName, pacer, ct).ConfigureAwait(false);
        if (datasets.Count == 0) throw new PublicFetchException(PublicFetchFailure.NotANode, $"{host} publishes no public profile");
        var records = await remote.RecordsAsync(datasets[0], 1, pacer, ct).ConfigureAwait(false);
        if (records.Count == 0) throw new PublicFetchException(PublicFetchFailure.NotANode, $"{host} publishes no public profile");
        var data = records[0].Data;
        if (System.Text.Encoding.UTF8.GetByteCount(data.GetRawText()) > options.MaxProfileBytes)
            throw new PublicFetchException(PublicFetchFailure.TooLarge, $"the profile of {host} is larger than {options.MaxProfileBytes} bytes");
        if (ProfileSchema.Value.Validate(data) is { Count: > 0 } errors)
            throw new PublicFetchException(PublicFetchFailure.Malformed, $"the profile of {host} is not a map.profile: {errors[0].Path}: {errors[0].Message}");
        if (Organisation.Read(data) is null) throw new PublicFetchException(PublicFetchFailure.Malformed, $"the profile of {host} has no name");
        return new CrawledNode(host, $"{url.Scheme}://{url.Authority}", step.Depth, step.Via, step.Predicate, clock.GetUtcNow(), data.Clone());
    }

    private sealed record Step(string Url, int Depth, string? Via, string? Predicate);

    private static string Module => ProfileKind.KindName[..ProfileKind.KindName.IndexOf('.')];
}
