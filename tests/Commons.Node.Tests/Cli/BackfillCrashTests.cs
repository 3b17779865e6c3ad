using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage;
using Xunit.Abstractions;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// A follower killed with SIGKILL halfway through the backfill of a 20,000-record dataset resumes from its checkpoint
/// after a restart — its first outbox request asks for a page after N &gt; 0, it never asks for page 0 again — and ends
/// with exactly the origin's records.
/// </summary>
public sealed partial class BackfillCrashTests(ITestOutputHelper output)
{
    private const int Records = 20_000;
    private const string Slug = "offers";

    [GeneratedRegex(@"Request starting .* GET http://[^/]+/datasets/offers/outbox\?page=(\d+)")]
    private static partial Regex OutboxPage();

    private static async Task WaitFor(Func<Task<bool>> condition, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Follower_killed_halfway_through_a_20000_record_backfill_resumes_from_its_checkpoint_and_ends_equal()
    {
        var total = Stopwatch.StartNew();
        using var temp = new TempFolder();
        var (aDir, bDir) = (temp.Sub("a"), temp.Sub("b"));
        var (aPort, bPort) = (NodeProcess.FreePort(), NodeProcess.FreePort());
        var aUrl = $"http://127.0.0.1:{aPort}";
        Dictionary<string, string> Env(string url) => new()
        {
            ["FEDERATION__ALLOWPRIVATENETWORKS"] = "true",
            ["COMMONS__PUBLICURL"] = url,
            ["COMMONS__ADMINSOCKET"] = "false",
            // A page is 1,000 records, which A builds and signs while the machine may be loaded far beyond its cores.
            ["FEDERATION__REQUESTTIMEOUT"] = "00:01:00",
        };

        // A: created by a first start, then 20,000 records written through the stores while it is stopped.
        await using (var first = await LoggedNode.StartAsync(aDir, aPort, Env(aUrl)))
        {
            using var api = await first.SignInAsync();
            (await api.PostAsJsonAsync("/api/datasets", new { slug = Slug, title = new { en = "Offers" }, policy = "public" })).EnsureSuccessStatusCode();
        }
        var seed = Stopwatch.StartNew();
        using (var db = CommonsDatabase.Open(aDir))
        {
            var recordStore = new LiteRecordStore(db);
            var datasets = new DatasetService(new LiteDatasetStore(db), recordStore, new LiteMemberStore(db), TimeProvider.System);
            var records = new RecordService(datasets, recordStore, new LiteChangeFeed(db), new RecordLimits(), TimeProvider.System);
            var admin = new Caller("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
            for (var i = 0; i < Records; i++)
            {
                using var doc = JsonDocument.Parse($$"""{"name":"offer {{i}}","n":{{i}},"text":"a bicycle trailer, a drill, some chairs, lent for free"}""");
                records.Create(admin, Slug, $"o{i:D5}", doc.RootElement);
            }
        }
        output.WriteLine($"wrote {Records:N0} records into A's store in {seed.Elapsed.TotalSeconds:N1} s");

        await using var a = await LoggedNode.StartAsync(aDir, aPort, Env(aUrl), logRequests: true);
        var bUrl = $"http://127.0.0.1:{bPort}";
        long killedAt;
        string subscriptionId;
        var backfill = Stopwatch.StartNew();
        await using (var b = await NodeProcess.StartAsync(bDir, port: bPort, environment: Env(bUrl)))
        {
            using var api = await b.SignInAsync();
            var created = await api.PostAsJsonAsync("/api/subscriptions", new { target = $"{aUrl}/datasets/{Slug}" });
            Assert.Equal(201, (int)created.StatusCode);
            subscriptionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Kill B once its checkpoint has moved, well before the end.
            long after = 0;
            await WaitFor(async () =>
            {
                var s = await api.GetFromJsonAsync<JsonElement>($"/api/subscriptions/{subscriptionId}");
                after = s.GetProperty("backfillAfter").GetInt64();
                return after >= 1000;
            }, "B's backfill checkpoint to pass 1,000", 120);
            Assert.InRange(after, 1000, Records / 2);
            b.Kill();
            killedAt = after;
        }
        var requestsBefore = a.OutboxPages().Count;
        output.WriteLine($"B killed after {backfill.Elapsed.TotalSeconds:N1} s at checkpoint {killedAt:N0} ({requestsBefore} outbox pages served)");
        Assert.DoesNotContain(0L, a.OutboxPages().Skip(1));

        var resumed = Stopwatch.StartNew();
        await using (var b = await NodeProcess.StartAsync(bDir, port: bPort, environment: Env(bUrl)))
        {
            using var api = await b.SignInAsync();
            var restarted = await api.GetFromJsonAsync<JsonElement>($"/api/subscriptions/{subscriptionId}");
            Assert.True(restarted.GetProperty("backfillAfter").GetInt64() >= killedAt, restarted.ToString());

            JsonElement state = default;
            await WaitFor(async () =>
            {
                using var response = await api.GetAsync($"/api/subscriptions/{subscriptionId}");
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{b.RecentOutput}");
                state = await response.Content.ReadFromJsonAsync<JsonElement>();
                return state.GetProperty("backfillDone").GetBoolean();
            }, "B's backfill to finish after the restart", 150);
            output.WriteLine($"backfill finished {resumed.Elapsed.TotalSeconds:N1} s after B's restart");

            var afterRestart = a.OutboxPages().Skip(requestsBefore).ToList();
            output.WriteLine($"outbox pages requested after the restart: {afterRestart.Count}, first page={afterRestart.FirstOrDefault()}");
            Assert.NotEmpty(afterRestart);
            Assert.True(afterRestart[0] >= killedAt && afterRestart[0] > 0, $"B's first request after the restart was page={afterRestart[0]} (checkpoint {killedAt})");
            Assert.DoesNotContain(0L, afterRestart);
            // From zero it would take ceil(20,000 / page size) pages (1,000 a page); from the checkpoint, fewer.
            Assert.True(afterRestart.Count < (Records + 999) / 1000, $"{afterRestart.Count} pages after the restart: it started over");

            var verify = await api.PostAsync($"/api/subscriptions/{subscriptionId}/verify", null);
            var body = await verify.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(verify.IsSuccessStatusCode, body.ToString());
            Assert.True(body.GetProperty("equal").GetBoolean(), body.ToString());
            Assert.Equal(Records, body.GetProperty("local").GetProperty("count").GetInt64());
            Assert.Equal(Records, state.GetProperty("records").GetInt64());
        }
        output.WriteLine($"total {total.Elapsed.TotalSeconds:N1} s");
    }

    /// <summary>
    /// A node process whose console log we read (NodeProcess discards it): with <c>logRequests</c>, ASP.NET's
    /// "Request starting" lines at Information level tell which outbox pages were asked for, in order.
    /// </summary>
    private sealed class LoggedNode : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private Process _process = null!;
        private Uri _base = null!;

        public static async Task<LoggedNode> StartAsync(string dataDirectory, int port, Dictionary<string, string> environment, bool logRequests = false)
        {
            var env = new Dictionary<string, string>(environment);
            if (logRequests) env["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
            var node = new LoggedNode();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
            foreach (var arg in new[] { NodeProcess.Dll, "serve", "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
            NodeProcess.Environment(start, dataDirectory);
            foreach (var (k, v) in env) start.Environment[k] = v;
            node._process = Process.Start(start)!;
            node._process.OutputDataReceived += (_, e) => { if (e.Data is { } line) node._lines.Enqueue(line); };
            node._process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) node._lines.Enqueue(line); };
            node._process.BeginOutputReadLine();
            node._process.BeginErrorReadLine();
            using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitFor(async () =>
            {
                if (node._process.HasExited) throw new InvalidOperationException($"A exited: {string.Join("\n", node._lines)}");
                try { return (await probe.GetAsync("/readyz")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, "A to be ready", 60);
            node._base = new Uri($"http://127.0.0.1:{port}");
            return node;
        }

        public async Task<HttpClient> SignInAsync()
        {
            var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(30) };
            var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = NodeProcess.AdminPassword });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        /// <summary>The page numbers of the outbox requests A received, in order.</summary>
        public IReadOnlyList<long> OutboxPages() => _lines.Select(l => OutboxPage().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value)).ToList();

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try { await _process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
            }
            _process.Dispose();
        }
    }
}
