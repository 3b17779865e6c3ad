using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Commons.Bench.MemoryMode;

namespace Commons.Bench;

/// <summary>
/// <c>-- propagation</c>: how long a change written on A takes to show in B's replica. Two real node processes
/// (<c>commons-node serve</c>, Release) on 127.0.0.1; A has a public dataset with one record, B follows it and finishes
/// its backfill; then N sequential edits of that record through A's API, each timed from the start of the PUT until
/// B's replica API shows the new revision. B has no long-poll, so it is polled every <see cref="PollPause"/>; the
/// time of one poll is reported beside the result as the granularity. Beside it, in the same run: the loopback round
/// trip of GET /healthz on A, and one RSA-2048 sign + verify (what each delivery's HTTP signature costs at both ends).
/// </summary>
public static class PropagationMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan PollPause = TimeSpan.FromMilliseconds(2);
    private const string Password = "bench-password-for-propagation";

    public static int Run(string[] args)
    {
        var changes = 1_000;
        var build = true;
        string? dll = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--changes" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0: changes = n; i++; break;
                case "--node" when i + 1 < args.Length: dll = Path.GetFullPath(args[++i]); build = false; break;
                case "--no-build": build = false; break;
                default: Console.Error.WriteLine($"propagation: unknown argument '{args[i]}' (expected --changes N, --node path/to/commons-node.dll, --no-build)"); return 2;
            }
        }
        var root = RepoRoot();
        if (dll is null)
        {
            if (root is null) { Console.Error.WriteLine("propagation: cannot find Commons.Node.sln above the current folder; run from the repository"); return 2; }
            dll = Path.Combine(root, "src", "Commons.Node", "bin", "Release", "net10.0", "commons-node.dll");
        }
        if (build)
        {
            Console.WriteLine("building the node: dotnet build src/Commons.Node -c Release");
            var (code, output) = RunTool("dotnet", root!, "build", Path.Combine("src", "Commons.Node"), "-c", "Release", "-nologo", "-v", "q");
            if (code != 0) { Console.Error.WriteLine(output); Console.Error.WriteLine("propagation: the node does not build (see above)"); return 1; }
        }
        if (!File.Exists(dll)) { Console.Error.WriteLine($"propagation: {dll} is missing; build the node first"); return 1; }
        try
        {
            return RunAsync(dll, changes).GetAwaiter().GetResult();
        }
        catch (NodeFailedException e)
        {
            Console.Error.WriteLine($"propagation: {e.Message}");
            return 1;
        }
    }

    private static IReadOnlyDictionary<string, string> Settings(Uri url) => new Dictionary<string, string>
    {
        ["Commons__PublicUrl"] = url.ToString().TrimEnd('/'),
        ["Commons__InitialAdminPassword"] = Password,
        ["Commons__AdminSocket"] = "false",
        ["Commons__Security__PasswordIterations"] = "1000",
        ["Federation__AllowPrivateNetworks"] = "true",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static async Task<int> RunAsync(string dll, int count)
    {
        var loadBefore = LoadAverage();
        Console.WriteLine($"propagation benchmark: {count:N0} changes, node {dll}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {loadBefore}");
        var dirA = TempDirs.New("propagation-a");
        var dirB = TempDirs.New("propagation-b");
        try
        {
            using var nodeA = NodeProcess.Start(dll, dirA, Settings);
            using var nodeB = NodeProcess.Start(dll, dirB, Settings);
            nodeA.WaitHealthy();
            nodeB.WaitHealthy();
            using var a = await SignedInAsync(nodeA.BaseAddress);
            using var b = await SignedInAsync(nodeB.BaseAddress);

            const string slug = "propagation";
            await Expect(await a.PostAsync("/api/datasets", Json(new JsonObject
            {
                ["slug"] = slug, ["title"] = new JsonObject { ["en"] = "Propagation benchmark" }, ["policy"] = "public",
            })), 201);
            await Expect(await a.PostAsync($"/api/datasets/{slug}/records", Json(new JsonObject
            {
                ["id"] = "probe", ["data"] = new JsonObject { ["name"] = "change 0" }, ["shared"] = true,
            })), 201);
            var sub = (string)(await Expect(await b.PostAsJsonAsync("/api/subscriptions", new { target = $"{slug}@{nodeA.BaseAddress.Authority}" }), 201))["id"]!;
            var ready = Stopwatch.StartNew();
            while (await ReplicaRevisionAsync(b, sub) < 1)
            {
                if (ready.Elapsed > TimeSpan.FromSeconds(60)) throw new NodeFailedException("B's backfill did not bring the record within 60 s");
                await Task.Delay(50);
            }
            Console.WriteLine($"B follows A's dataset; backfill done after {ready.Elapsed.TotalSeconds:N1} s");

            var propagation = new List<double>(count);
            var polls = new List<double>();
            var writes = new List<double>(count);
            var total = Stopwatch.StartNew();
            for (var i = 1; i <= count; i++)
            {
                var sw = Stopwatch.StartNew();
                var put = await Expect(await a.PutAsync($"/api/datasets/{slug}/records/probe", Json(new JsonObject
                {
                    ["data"] = new JsonObject { ["name"] = $"change {i}" },
                })), 200);
                writes.Add(sw.Elapsed.TotalMilliseconds);
                var revision = (long)put["revision"]!;
                while (true)
                {
                    var poll = Stopwatch.StartNew();
                    var seen = await ReplicaRevisionAsync(b, sub);
                    polls.Add(poll.Elapsed.TotalMilliseconds);
                    if (seen >= revision) break;
                    if (sw.Elapsed > TimeSpan.FromSeconds(60)) throw new NodeFailedException($"revision {revision} did not reach B within 60 s");
                    await Task.Delay(PollPause);
                }
                propagation.Add(sw.Elapsed.TotalMilliseconds);
                if (i % 200 == 0) Console.WriteLine($"  {i:N0} changes, {total.Elapsed.TotalSeconds:N0} s");
            }

            var roundTrips = new List<double>();
            using (var anonymous = new HttpClient { BaseAddress = nodeA.BaseAddress })
            {
                for (var i = 0; i < 1_000; i++)
                {
                    var sw = Stopwatch.StartNew();
                    using var r = await anonymous.GetAsync("/healthz");
                    _ = await r.Content.ReadAsByteArrayAsync();
                    roundTrips.Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            var rsa = RsaSignVerify();

            Console.WriteLine();
            Console.WriteLine($"Propagation A write → B replica, {count:N0} sequential changes — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load before {loadBefore}, after {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| measured in the same run | n | p50 | p99 | max |");
            Console.WriteLine("|---|---|---|---|---|");
            Row("A write → B replica shows the revision", propagation);
            Row("  of which: A's PUT answered", writes);
            Row("  one poll of B's replica API (the granularity, plus a 2 ms pause)", polls);
            Row("loopback round trip, GET /healthz on A", roundTrips);
            Row("RSA-2048 sign + verify (one thread)", rsa);
            return 0;
        }
        finally
        {
            TempDirs.Delete(dirA);
            TempDirs.Delete(dirB);
        }
    }

    private static void Row(string what, List<double> ms)
    {
        ms.Sort();
        Console.WriteLine($"| {what} | {ms.Count:N0} | {Percentile(ms, 0.50):N2} ms | {Percentile(ms, 0.99):N2} ms | {ms[^1]:N2} ms |");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static List<double> RsaSignVerify()
    {
        using var rsa = RSA.Create(2048);
        var message = Encoding.ASCII.GetBytes("(request-target): post /datasets/propagation/inbox\nhost: 127.0.0.1\ndate: Sun, 06 Dec 2026 20:00:00 GMT\ndigest: SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        var times = new List<double>(500);
        for (var i = 0; i < 520; i++)
        {
            var sw = Stopwatch.StartNew();
            var signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (!rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) throw new InvalidOperationException("verify failed");
            if (i >= 20) times.Add(sw.Elapsed.TotalMilliseconds); // the first rounds warm up the JIT
        }
        return times;
    }

    private static async Task<long> ReplicaRevisionAsync(HttpClient b, string sub)
    {
        var page = await Expect(await b.GetAsync($"/api/subscriptions/{sub}/records?limit=1"), 200);
        return page["items"]!.AsArray().FirstOrDefault() is { } item ? (long)item["revision"]! : 0;
    }

    private static async Task<HttpClient> SignedInAsync(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var login = await Expect(await http.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = Password }), 200);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)login["accessToken"]!);
        return http;
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonObject> Expect(HttpResponseMessage response, int status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != status)
                throw new NodeFailedException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {status}: {body}");
            return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject ?? new JsonObject();
        }
    }

    private static string LoadAverage()
    {
        try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
