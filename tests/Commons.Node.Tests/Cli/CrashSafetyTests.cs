using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Commons.Node.Tests.Cli;

/// <summary>A node killed with SIGKILL in the middle of a stream of writes loses nothing it acknowledged.</summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task Every_acknowledged_write_survives_a_SIGKILL_with_its_sequence_number()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("node");
        var acknowledged = new ConcurrentDictionary<string, bool>();

        await using (var node = await NodeProcess.StartAsync(data))
        {
            using var api = await node.SignInAsync();
            (await api.PostAsJsonAsync("/api/datasets", new
            {
                slug = "offers",
                title = new { en = "Offers" },
                schema = new { type = "object", properties = new { n = new { type = "integer" } }, required = new[] { "n" } },
            })).EnsureSuccessStatusCode();

            // Four writers stream up to 1,000 creates; the node is killed once a random number of them were acknowledged.
            var killAt = Random.Shared.Next(250, 750);
            var next = 0;
            var killed = 0;
            async Task Writer()
            {
                while (true)
                {
                    var n = Interlocked.Increment(ref next);
                    if (n > 1000) return;
                    var id = $"r{n:D4}";
                    try
                    {
                        var response = await api.PostAsJsonAsync("/api/datasets/offers/records", new { id, data = new { n } });
                        if (response.StatusCode == HttpStatusCode.Created) acknowledged[id] = true;
                    }
                    catch (HttpRequestException) { return; }
                    catch (TaskCanceledException) { return; }
                    if (acknowledged.Count >= killAt && Interlocked.Exchange(ref killed, 1) == 0) node.Kill();
                }
            }
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Writer)));
            Assert.Equal(1, killed);
        }

        Assert.True(acknowledged.Count >= 250, $"only {acknowledged.Count} writes were acknowledged before the kill");

        // The store is intact for the offline check, then the node starts again on it.
        var check = await CommonsCli.RunAsync(data, "check");
        Assert.True(check.ExitCode == 0, check.Out + check.Err);
        Assert.Contains("ok:", check.Out);

        await using (var node = await NodeProcess.StartAsync(data))
        {
            using var api = await node.SignInAsync();
            var stored = new Dictionary<string, long>();
            string? cursor = null;
            do
            {
                var page = await api.GetFromJsonAsync<JsonElement>($"/api/datasets/offers/records?limit=500{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
                foreach (var r in page.GetProperty("items").EnumerateArray())
                    stored[r.GetProperty("id").GetString()!] = r.GetProperty("revision").GetInt64();
                cursor = page.GetProperty("next").GetString();
            } while (cursor is not null);

            foreach (var id in acknowledged.Keys) Assert.True(stored.ContainsKey(id), $"acknowledged record {id} is missing after the crash");
            Assert.All(stored.Values, rev => Assert.Equal(1, rev));

            var seqs = new List<long>();
            var records = new HashSet<string>();
            long after = 0;
            while (true)
            {
                var feed = await api.GetFromJsonAsync<JsonElement>($"/api/datasets/offers/changes?after={after}&limit=500");
                var items = feed.GetProperty("items").EnumerateArray().ToList();
                if (items.Count == 0) break;
                foreach (var c in items)
                {
                    seqs.Add(c.GetProperty("seq").GetInt64());
                    records.Add(c.GetProperty("recordId").GetString()!);
                }
                after = seqs[^1];
            }
            // One change per stored record, numbered 1..N with no gap: nothing half-written either way.
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), seqs);
            Assert.True(records.SetEquals(stored.Keys));
        }
    }
}
