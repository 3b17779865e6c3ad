using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Commons.Node.Tests.Cli;

/// <summary>A node killed with SIGKILL while delivering one change to 20 followers delivers it to all of them after a restart.</summary>
public sealed class DeliveryCrashTests
{
    private static async Task WaitFor(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_change_being_delivered_to_20_followers_reaches_every_one_after_a_SIGKILL()
    {
        using var temp = new TempFolder();
        await using var peer = await FakeFollowers.StartAsync();
        var port = NodeProcess.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["FEDERATION__ALLOWPRIVATENETWORKS"] = "true",
            ["COMMONS__PUBLICURL"] = baseUrl,
        };
        string activityId;

        await using (var node = await NodeProcess.StartAsync(temp.Path, port: port, environment: environment))
        {
            using var api = await node.SignInAsync();
            (await api.PostAsJsonAsync("/api/datasets", new { slug = "offers", title = new { en = "Offers" }, policy = "public" })).EnsureSuccessStatusCode();
            for (var n = 1; n <= 20; n++)
                Assert.Equal(HttpStatusCode.Accepted, await peer.FollowAsync(n, $"{baseUrl}/datasets/offers", $"{baseUrl}/inbox"));
            await WaitFor(async () => (await api.GetFromJsonAsync<JsonElement>("/api/datasets/offers/followers?state=accepted")).GetArrayLength() == 20, "20 accepted followers");
            await WaitFor(() => Task.FromResult(peer.Received.Count == 20), "20 Accepts");

            // Slow inboxes: the 20 deliveries (at most 4 at a time per host) take seconds, and the node dies among them.
            peer.InboxDelay = TimeSpan.FromMilliseconds(800);
            var created = await api.PostAsJsonAsync("/api/datasets/offers/records", new { id = "bike", data = new { name = "Cargo bike" } });
            created.EnsureSuccessStatusCode();
            activityId = $"{baseUrl}/datasets/offers/changes/1";
            await WaitFor(() => Task.FromResult(peer.CountWith(activityId) >= 1), "the first delivery");
            node.Kill();
        }
        var beforeRestart = peer.CountWith(activityId);
        Assert.InRange(beforeRestart, 1, 19);

        peer.InboxDelay = TimeSpan.Zero;
        await using (await NodeProcess.StartAsync(temp.Path, port: port, environment: environment))
        {
            await WaitFor(() => Task.FromResult(peer.CountWith(activityId) == 20), "all 20 followers to receive the change");
        }
        // Every follower got the Create; a delivery cut by the kill may be sent again, and the activity id lets the follower notice.
        for (var n = 1; n <= 20; n++)
            Assert.Contains(peer.Received[n], r => r.Id == activityId && r.Type == "Create");
    }
}
