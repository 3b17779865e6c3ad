using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// A committed change wakes A's fan-out at once: with the workers' poll set to ten minutes on both nodes, a record
/// written on A still reaches B's replica within the ordinary deadline, so nothing in the chain waited for a poll.
/// </summary>
public sealed class ChangeWakeTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> SlowPoll = new() { ["Federation:WorkerPollInterval"] = "00:10:00" };
    private TestNode _a = null!;
    private TestNode _b = null!;

    public async Task InitializeAsync()
    {
        var nodes = await Task.WhenAll(TestNode.StartAsync(SlowPoll), TestNode.StartAsync(SlowPoll));
        (_a, _b) = (nodes[0], nodes[1]);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Live_creates_updates_and_deletes_reach_the_follower_without_waiting_for_the_poll()
    {
        var slug = await _a.CreateDatasetAsync("public");
        await _a.CreateRecordAsync(slug, "before", new JsonObject { ["name"] = "written before the follow" });
        var sub = (string)(await _b.FollowAsync(_a.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => _b.SubscriptionAsync(sub), s => (bool)s["backfillDone"]!, "B's backfill to finish");

        for (var i = 0; i < 3; i++)
        {
            await _a.CreateRecordAsync(slug, $"live{i}", new JsonObject { ["name"] = $"live {i}" });
            await Wait.ForAsync(() => _b.ReplicaAsync(sub), r => r.ContainsKey($"live{i}"), $"live{i} to reach B");
        }
        await _a.UpdateRecordAsync(slug, "live0", new JsonObject { ["name"] = "live 0, edited" });
        await Wait.ForAsync(() => _b.ReplicaAsync(sub), r => (long)r["live0"]["revision"]! == 2, "the edit of live0 to reach B");
        await _a.DeleteRecordAsync(slug, "live1");
        var replica = await Wait.ForAsync(() => _b.ReplicaAsync(sub), r => !r.ContainsKey("live1"), "the delete of live1 to reach B");
        Assert.Equal(["before", "live0", "live2"], replica.Keys.Order(StringComparer.Ordinal));
    }
}
