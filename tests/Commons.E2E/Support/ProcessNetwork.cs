using System.Text.Json.Nodes;

namespace Commons.E2E.Support;

/// <summary>What every network of node processes does first: start them all, switch a module on everywhere, and stop
/// every process it started when a step fails, so a failed start leaves no process behind.</summary>
public static class ProcessNetwork
{
    /// <summary>Starts <paramref name="count"/> nodes, at most <paramref name="atOnce"/> at a time (many processes starting
    /// together on a loaded 2-core machine outlast the time a start may take); on a failure, the started ones stop.</summary>
    public static async Task<IReadOnlyList<ProcessNode>> StartAsync(int count, IReadOnlyDictionary<string, string> environment, int atOnce)
    {
        using var starting = new SemaphoreSlim(atOnce);
        var starts = Enumerable.Range(0, count).Select(async _ =>
        {
            await starting.WaitAsync();
            try { return await ProcessNode.StartAsync(environment); }
            finally { starting.Release(); }
        }).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
            throw;
        }
        return starts.Select(s => s.Result).ToList();
    }

    /// <summary>Runs <paramref name="open"/> on the new network; if it fails, the network (and its processes) is disposed.</summary>
    public static async Task<T> OpenAsync<T>(T network, Func<T, Task> open) where T : IAsyncDisposable
    {
        try
        {
            await open(network);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
        return network;
    }

    public static Task EnableModuleAsync(IEnumerable<ProcessNode> nodes, string module) => Task.WhenAll(nodes.Select(async node =>
    {
        using var admin = await node.AdminAsync();
        await Http.Expect(await admin.PutAsync($"/api/admin/modules/{module}", Http.Json(new JsonObject { ["enabled"] = true })), 200);
    }));
}
