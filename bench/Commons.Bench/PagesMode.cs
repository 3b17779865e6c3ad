using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using LiteDB;

namespace Commons.Bench;

/// <summary>
/// How fast the real node process (<c>commons-node serve</c>, Release build) renders the web interface's pages for a
/// signed-in browser: N records (20,000 by default) written through RecordService while the node is stopped, then each
/// page requested sequentially over loopback with the sign-in cookie. Beside it, in the same run, the machine's own
/// limit for the page's core work: one raw LiteDB read of 25 records by key range on the same data file.
/// </summary>
public static partial class PagesMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const string Password = "bench-password-for-pages";

    public static int Run(string[] args)
    {
        int records = 20_000, requests = 300;
        var build = true;
        string? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0: records = n; i++; break;
                case "--requests" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0: requests = n; i++; break;
                case "--no-build": build = false; break;
                // Only the pages whose name holds one of these texts (split by "|") (for a profiler attached to the node while they are timed).
                case "--only" when i + 1 < args.Length: only = args[i + 1]; i++; break;
                default: Console.Error.WriteLine($"pages: unknown argument '{args[i]}' (expected --records N, --requests N, --only TEXT, --no-build)"); return 2;
            }
        }
        var root = MemoryMode.RepoRoot();
        if (root is null) { Console.Error.WriteLine("pages: cannot find Commons.Node.sln above the current folder; run from the repository"); return 2; }
        var dll = Path.Combine(root, "src", "Commons.Node", "bin", "Release", "net10.0", "commons-node.dll");
        if (build)
        {
            Console.WriteLine("building the node: dotnet build src/Commons.Node -c Release");
            var (code, output) = MemoryMode.RunTool("dotnet", root, "build", Path.Combine("src", "Commons.Node"), "-c", "Release", "-nologo", "-v", "q");
            if (code != 0) { Console.Error.WriteLine(output); Console.Error.WriteLine("pages: the node does not build (see above)"); return 1; }
        }

        var dataDir = TempDirs.New("pages");
        try
        {
            // The node's store with a member and N records, written while no node runs.
            string someId, apiToken;
            double rawMicros, rawP10, rawP90;
            List<string> storeRows;
            using (var stores = new NodeStores(dataDir))
            {
                new MemberService(stores.Members, stores.Tokens, new PasswordHasher(), TimeProvider.System).Register("benchadmin", "Pages benchmark", Password, MemberRole.Admin);
                apiToken = new AccessTokenService(stores.Tokens, stores.Members, TimeProvider.System)
                    .Create(NodeStores.Admin, "benchadmin", "pages benchmark", TokenScopes.Read, null).Secret;
                var dataset = stores.EnsureOffers();
                var sw = Stopwatch.StartNew();
                someId = "";
                for (var i = 0; i < records; i++)
                {
                    var id = stores.Records.Create(NodeStores.Admin, Offers.Slug, null, Offers.Element(i)).Record.Id;
                    if (i == records / 2) someId = id;
                }
                Console.WriteLine($"wrote {records:N0} records in {sw.Elapsed.TotalSeconds:N1} s");
                (rawMicros, rawP10, rawP90) = RawPageRead(stores, dataset.Key, requests);
                storeRows = SortedStoreReads(stores, dataset.Key, requests);
                // Printed now as well: the in-process figures stand even when the node then fails to start in time.
                foreach (var row in storeRows) Console.WriteLine(row);
            }

            using var node = MemoryMode.NodeProcess.Start(dll, dataDir);
            node.WaitHealthy();
            using var http = SignIn(node.BaseAddress);
            using var api = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
            // A later page of the sorted listing: the cursor the 40th page of 25 ends with (record 1,000 in title order).
            var sortedApi = $"/api/datasets/{Offers.Slug}/records?sort=data.title&limit=25";
            string? cursor = null;
            for (var i = 0; i < Math.Min(40, records / 25 - 1); i++) cursor = NextCursor(api, sortedApi + (cursor is null ? "" : "&cursor=" + cursor));
            var pages = new (string Name, string Path)[]
            {
                ("dashboard", "/"),
                ("dataset list", "/datasets"),
                ("records table, first 25", $"/datasets/{Offers.Slug}"),
                ("records table, text filter", $"/datasets/{Offers.Slug}?q=atelier"),
                ("records table, sorted by title", $"/datasets/{Offers.Slug}?sort=data.title"),
                ("records table, sorted by title, descending", $"/datasets/{Offers.Slug}?sort=-data.title"),
                ("records table, sorted by title, 41st page (cursor)", $"/datasets/{Offers.Slug}?sort=data.title&cursor={cursor}"),
                ("API: records sorted by title, 25", sortedApi),
                ("API: records sorted by title, 41st page (cursor)", sortedApi + "&cursor=" + cursor),
                ("record edit form", $"/datasets/{Offers.Slug}/records/{someId}"),
                ("new record form", $"/datasets/{Offers.Slug}/records/new"),
                ("sharing page", $"/datasets/{Offers.Slug}/sharing"),
                ("dataset edit form", $"/datasets/{Offers.Slug}/edit"),
            };
            var nodeProcess = NodeProcessAt(node.BaseAddress);
            var rows = new List<string>();
            foreach (var (name, path) in pages)
            {
                if (only is not null && !only.Split('|').Any(o => name.Contains(o, StringComparison.Ordinal))) continue;
                var client = path.StartsWith("/api/", StringComparison.Ordinal) ? api : http;
                // Warm-up: JIT (tier-1 code comes after 30 calls and a background compile, slow on a loaded machine), caches.
                // At least 2 s per page: 50 requests of 1–2 ms left the median of the rounds straddling the switch to tier-1.
                var warm = Stopwatch.StartNew();
                for (var i = 0; i < 50 || warm.Elapsed < TimeSpan.FromSeconds(2); i++) Get(client, path);
                var times = new double[requests];
                nodeProcess?.Refresh();
                var cpuBefore = nodeProcess?.TotalProcessorTime;
                for (var i = 0; i < requests; i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    Get(client, path);
                    times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }
                nodeProcess?.Refresh();
                var cpu = nodeProcess is null ? (double?)null : (nodeProcess.TotalProcessorTime - cpuBefore!.Value).TotalMilliseconds / requests;
                Array.Sort(times);
                var median = times[times.Length / 2];
                var p95 = times[(int)(times.Length * 0.95)];
                var cpuCells = cpu is { } c ? $"{c:N2} ms | {c * 1000 / rawMicros:N0}x" : "n/a | n/a";
                rows.Add($"| {name} | {median:N2} ms | {p95:N2} ms | {1000 / times.Average():N0} | {median * 1000 / rawMicros:N0}x | {cpuCells} |");
            }
            node.Stop();
            // The same read once the pages are done: how far the machine's load moved the limit during the run.
            double rawAfter;
            using (var stores = new NodeStores(dataDir)) rawAfter = RawPageRead(stores, stores.EnsureOffers().Key, requests).Median;

            Console.WriteLine();
            Console.WriteLine($"Web pages of commons-node serve — {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {records:N0} records, {requests} sequential requests per page, signed-in cookie, loopback");
            Console.WriteLine();
            Console.WriteLine($"machine's limit in this run: one raw LiteDB read of 25 records by key range on the same file = {rawMicros:N1} µs "
                + $"(median of {Math.Max(requests, RawRounds):N0} after a warm-up of 1 s; 10th–90th percentile {rawP10:N1}–{rawP90:N1} µs; the same read after the pages: {rawAfter:N1} µs)");
            Console.WriteLine();
            Console.WriteLine("| page | median | p95 | pages/s (one client) | median ÷ raw 25-record read | node CPU per page (all threads) | CPU ÷ raw read |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var row in rows) Console.WriteLine(row);
            Console.WriteLine();
            Console.WriteLine("In the process, no HTTP: RecordService.List beside the raw read, alternating round by round (both see the same load)");
            Console.WriteLine();
            Console.WriteLine("| query, 25 records | median | raw 25-record read, same rounds | ratio |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var row in storeRows) Console.WriteLine(row);
            return 0;
        }
        catch (MemoryMode.NodeFailedException e)
        {
            Console.Error.WriteLine($"pages: {e.Message}");
            return 1;
        }
        finally
        {
            TempDirs.Delete(dataDir);
        }
    }

    /// <summary>Rounds of the raw read at least, whatever --requests says: its median is the denominator of every ratio.</summary>
    private const int RawRounds = 2_000;

    /// <summary>
    /// Median µs of one raw LiteDB query for the first 25 records of the dataset (its key range in the shared collection).
    /// Warmed up until the JIT has had time to replace the first code by optimised code (tier-1 comes after 30 calls and a
    /// background compile): 10 warm-up calls and 100 rounds let the median fall on either side of that switch, which
    /// moved the figure between 210 and 350 µs from run to run. Also gives the 10th and 90th percentiles.
    /// </summary>
    private static (double Median, double P10, double P90) RawPageRead(NodeStores stores, int datasetKey, int rounds)
    {
        // The raw baseline: LiteDB itself, without the store's gate (this mode reads on one thread).
        var collection = stores.Database.Read(() => stores.Database.Db.GetCollection("records"));
        var prefix = datasetKey.ToString("x8", Inv) + "/";
        void Read()
        {
            var page = collection.Find(Query.And(Query.GTE("_id", prefix), Query.LT("_id", prefix + "\uffff")), limit: 25).ToList();
            if (page.Count != 25) throw new InvalidOperationException($"raw read found {page.Count} records, not 25");
        }
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 500 || warm.Elapsed < TimeSpan.FromSeconds(1); i++) Read();
        rounds = Math.Max(rounds, RawRounds);
        var times = new double[rounds];
        for (var i = 0; i < rounds; i++)
        {
            var t = Stopwatch.GetTimestamp();
            Read();
            times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        Array.Sort(times);
        return (times[rounds / 2], times[rounds / 10], times[rounds * 9 / 10]);
    }

    /// <summary>
    /// The listing's core work without HTTP or rendering: RecordService.List sorted by title (the first listing creates the
    /// sort index, before the rounds), first page and the 41st by cursor, each round alternating with the raw read.
    /// </summary>
    private static List<string> SortedStoreReads(NodeStores stores, int datasetKey, int rounds)
    {
        var collection = stores.Database.Read(() => stores.Database.Db.GetCollection("records"));
        var prefix = datasetKey.ToString("x8", Inv) + "/";
        var sorted = new RecordQuery { Sort = new RecordSort(Commons.Core.Records.SortKey.DataField, "title"), Limit = 25 };
        var cursor = sorted;
        for (var i = 0; i < 40; i++) cursor = cursor with { Cursor = stores.Records.List(NodeStores.Admin, Offers.Slug, cursor).NextCursor };
        var rows = new List<string>();
        foreach (var (name, query) in new[] { ("sorted by title, first page", sorted), ("sorted by title, descending", sorted with { Sort = sorted.Sort with { Descending = true } }),
                     ("sorted by title, 41st page (cursor)", cursor), ("by id, first page", new RecordQuery { Limit = 25 }) })
        {
            var ours = new double[rounds];
            var raw = new double[rounds];
            // 300 warm-up rounds: past the JIT's switch to optimised code for both sides (see RawPageRead).
            for (var i = -300; i < rounds; i++)
            {
                var t = Stopwatch.GetTimestamp();
                if (stores.Records.List(NodeStores.Admin, Offers.Slug, query).Items.Count != 25) throw new InvalidOperationException($"{name}: not 25 records");
                var mid = Stopwatch.GetTimestamp();
                collection.Find(Query.And(Query.GTE("_id", prefix), Query.LT("_id", prefix + "\uffff")), limit: 25).ToList();
                if (i < 0) continue;
                ours[i] = Stopwatch.GetElapsedTime(t, mid).TotalMicroseconds;
                raw[i] = Stopwatch.GetElapsedTime(mid).TotalMicroseconds;
            }
            Array.Sort(ours);
            Array.Sort(raw);
            var (o, r) = (ours[rounds / 2], raw[rounds / 2]);
            rows.Add($"| {name} | {o:N1} µs | {r:N1} µs | {o / r:N1}x |");
        }
        return rows;
    }

    /// <summary>
    /// The node's process, found by the listening address it was given (Linux /proc), for its CPU time per page: on a
    /// machine whose load makes wall-clock times swing, the CPU a page costs (GC and every thread included) is what
    /// compares with the raw read's time. Null where /proc is not readable.
    /// </summary>
    private static Process? NodeProcessAt(Uri address)
    {
        var setting = "ASPNETCORE_URLS=" + address.GetLeftPart(UriPartial.Authority);
        foreach (var candidate in Process.GetProcessesByName("dotnet"))
        {
            try
            {
                var environ = File.ReadAllText($"/proc/{candidate.Id}/environ").Split('\0');
                if (environ.Contains(setting, StringComparer.Ordinal)) return candidate;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            candidate.Dispose();
        }
        Console.WriteLine("  (the node's process was not found in /proc: no CPU column)");
        return null;
    }

    private static HttpClient SignIn(Uri address)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var html = http.GetStringAsync("/signin").GetAwaiter().GetResult();
        var token = WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);
        using var response = http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Form.Username"] = "benchadmin", ["Form.Password"] = Password,
        })).GetAwaiter().GetResult();
        if (response.StatusCode != HttpStatusCode.Redirect) throw new MemoryMode.NodeFailedException($"sign-in answered {(int)response.StatusCode}");
        return http;
    }

    private static void Get(HttpClient http, string path)
    {
        using var r = http.GetAsync(path).GetAwaiter().GetResult();
        var body = r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var expected = path.StartsWith("/api/", StringComparison.Ordinal) ? "\"items\"" : "<h1";
        if (r.StatusCode != HttpStatusCode.OK || !body.Contains(expected, StringComparison.Ordinal))
            throw new MemoryMode.NodeFailedException($"{path} answered {(int)r.StatusCode}");
    }

    /// <summary>The cursor of the page after this API page (URL-escaped).</summary>
    private static string NextCursor(HttpClient api, string path)
    {
        using var r = api.GetAsync(path).GetAwaiter().GetResult();
        var body = r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (r.StatusCode != HttpStatusCode.OK) throw new MemoryMode.NodeFailedException($"{path} answered {(int)r.StatusCode}");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return Uri.EscapeDataString(json.RootElement.GetProperty("next").GetString()
            ?? throw new MemoryMode.NodeFailedException($"{path} has no next page"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
