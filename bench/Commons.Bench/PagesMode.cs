using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
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
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0: records = n; i++; break;
                case "--requests" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0: requests = n; i++; break;
                case "--no-build": build = false; break;
                default: Console.Error.WriteLine($"pages: unknown argument '{args[i]}' (expected --records N, --requests N, --no-build)"); return 2;
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
            string someId;
            double rawMicros;
            using (var stores = new NodeStores(dataDir))
            {
                new MemberService(stores.Members, stores.Tokens, new PasswordHasher(), TimeProvider.System).Register("benchadmin", "Pages benchmark", Password, MemberRole.Admin);
                var dataset = stores.EnsureOffers();
                var sw = Stopwatch.StartNew();
                someId = "";
                for (var i = 0; i < records; i++)
                {
                    var id = stores.Records.Create(NodeStores.Admin, Offers.Slug, null, Offers.Element(i)).Record.Id;
                    if (i == records / 2) someId = id;
                }
                Console.WriteLine($"wrote {records:N0} records in {sw.Elapsed.TotalSeconds:N1} s");
                rawMicros = RawPageRead(stores, dataset.Key, requests);
            }

            using var node = MemoryMode.NodeProcess.Start(dll, dataDir);
            node.WaitHealthy();
            using var http = SignIn(node.BaseAddress);
            var pages = new (string Name, string Path)[]
            {
                ("dashboard", "/"),
                ("dataset list", "/datasets"),
                ("records table, first 25", $"/datasets/{Offers.Slug}"),
                ("records table, text filter", $"/datasets/{Offers.Slug}?q=atelier"),
                ("records table, sorted by title", $"/datasets/{Offers.Slug}?sort=data.title"),
                ("record edit form", $"/datasets/{Offers.Slug}/records/{someId}"),
                ("new record form", $"/datasets/{Offers.Slug}/records/new"),
                ("sharing page", $"/datasets/{Offers.Slug}/sharing"),
                ("dataset edit form", $"/datasets/{Offers.Slug}/edit"),
            };
            var rows = new List<string>();
            foreach (var (name, path) in pages)
            {
                for (var i = 0; i < 10; i++) Get(http, path); // warm-up: JIT, caches
                var times = new double[requests];
                for (var i = 0; i < requests; i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    Get(http, path);
                    times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }
                Array.Sort(times);
                var median = times[times.Length / 2];
                var p95 = times[(int)(times.Length * 0.95)];
                rows.Add($"| {name} | {median:N2} ms | {p95:N2} ms | {1000 / times.Average():N0} | {median * 1000 / rawMicros:N0}x |");
            }
            node.Stop();

            Console.WriteLine();
            Console.WriteLine($"Web pages of commons-node serve — {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {records:N0} records, {requests} sequential requests per page, signed-in cookie, loopback");
            Console.WriteLine();
            Console.WriteLine($"machine's limit in this run: one raw LiteDB read of 25 records by key range on the same file = {rawMicros:N1} µs");
            Console.WriteLine();
            Console.WriteLine("| page | median | p95 | pages/s (one client) | median ÷ raw 25-record read |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var row in rows) Console.WriteLine(row);
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

    /// <summary>Median µs of one raw LiteDB query for the first 25 records of the dataset (its key range in the shared collection).</summary>
    private static double RawPageRead(NodeStores stores, int datasetKey, int rounds)
    {
        // The raw baseline: LiteDB itself, without the store's gate (this mode reads on one thread).
        var collection = stores.Database.Read(() => stores.Database.Db.GetCollection("records"));
        var prefix = datasetKey.ToString("x8", Inv) + "/";
        var times = new double[rounds];
        for (var i = -10; i < rounds; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var page = collection.Find(Query.And(Query.GTE("_id", prefix), Query.LT("_id", prefix + "\uffff")), limit: 25).ToList();
            if (page.Count != 25) throw new InvalidOperationException($"raw read found {page.Count} records, not 25");
            if (i >= 0) times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[rounds / 2];
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
        if (r.StatusCode != HttpStatusCode.OK || !body.Contains("<h1", StringComparison.Ordinal))
            throw new MemoryMode.NodeFailedException($"{path} answered {(int)r.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
