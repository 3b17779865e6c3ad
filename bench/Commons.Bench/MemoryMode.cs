using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;

namespace Commons.Bench;

/// <summary>
/// Resident memory of the real node process (<c>commons-node serve</c>) as it is deployed: <c>dotnet publish -c Release</c>
/// to a temporary folder (ReadyToRun, the Node's csproj), or the plain <c>bin/Release</c> build with <c>--build-output</c>
/// (JIT only, the figure before issue 17), or an existing published folder with <c>--published DIR</c>. Idle on a fresh data folder,
/// then holding N records (100,000 by default) written straight through the stores while the node is stopped,
/// idle and after serving some reads. RSS is VmRSS of /proc/&lt;pid&gt;/status (Linux only).
/// </summary>
public static class MemoryMode
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// How long after <c>/healthz</c> an idle node is measured. The node compacts its heap one second after start and
    /// trims the C heap about five seconds after start (Hosting/StartupCompaction.cs); before then the figure is the start's,
    /// not an idle node's. Until session 8 this was 3 s; an idle node measured later only grows (its workers allocate).
    /// </summary>
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(10);

    public static int Run(string[] args)
    {
        var records = 100_000;
        bool build = true, keep = false, buildOutput = false;
        string? published = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0: records = n; i++; break;
                case "--no-build": build = false; break;
                case "--keep": keep = true; break;
                case "--build-output": buildOutput = true; break;
                case "--published" when i + 1 < args.Length: published = Path.GetFullPath(args[++i]); build = false; break;
                default: Console.Error.WriteLine($"memory: unknown argument '{args[i]}' (expected --records N, --no-build, --build-output, --published DIR, --keep)"); return 2;
            }
        }
        if (!OperatingSystem.IsLinux()) { Console.Error.WriteLine("memory: reads /proc/<pid>/status, so it runs on Linux only"); return 2; }

        var root = RepoRoot();
        if (root is null) { Console.Error.WriteLine("memory: cannot find Commons.Node.sln above the current folder; run from the repository"); return 2; }
        var publishDir = published ?? (buildOutput ? null : TempDirs.New("memory-publish"));
        var dll = publishDir is null
            ? Path.Combine(root, "src", "Commons.Node", "bin", "Release", "net10.0", "commons-node.dll")
            : Path.Combine(publishDir, "commons-node.dll");
        if (build)
        {
            string[] tool = publishDir is null
                ? ["build", Path.Combine("src", "Commons.Node"), "-c", "Release", "-nologo", "-v", "q"]
                : ["publish", Path.Combine("src", "Commons.Node"), "-c", "Release", "-o", publishDir, "-nologo", "-v", "q"];
            Console.WriteLine($"{(publishDir is null ? "building" : "publishing")} the node: dotnet {string.Join(' ', tool)}");
            var started = Stopwatch.StartNew();
            var (code, output) = RunTool("dotnet", root, tool);
            if (code != 0)
            {
                Console.Error.WriteLine(output);
                Console.Error.WriteLine("memory: the node does not build (see above)");
                return 1;
            }
            Console.WriteLine($"  done in {started.Elapsed.TotalSeconds:N0} s");
        }
        if (!File.Exists(dll)) { Console.Error.WriteLine($"memory: {dll} is missing; build the node first"); return 1; }
        Console.WriteLine($"measuring {dll}");

        var dataDir = TempDirs.New("memory");
        var results = new List<(string Phase, Mem Mem)>();
        try
        {
            // 1. A fresh node: first start creates identity and admin in an empty folder, then idles.
            using (var node = NodeProcess.Start(dll, dataDir))
            {
                node.WaitHealthy();
                Thread.Sleep(IdleSettle);
                results.Add(("idle, fresh data folder", node.Memory()));
                node.Stop();
            }

            // 2. The node stopped, N records written straight through the stores (the same code the API calls).
            Console.WriteLine($"writing {records:N0} records through RecordService.Create (node stopped)…");
            string secret;
            var ids = new List<string>(records);
            var sw = Stopwatch.StartNew();
            using (var stores = new NodeStores(dataDir))
            {
                var hasher = new PasswordHasher();
                var members = new MemberService(stores.Members, stores.Tokens, hasher, TimeProvider.System);
                if (stores.Members.Find("benchadmin") is null)
                    members.Register("benchadmin", "Memory benchmark", PasswordHasher.Generate(), MemberRole.Admin);
                secret = new AccessTokenService(stores.Tokens, stores.Members, TimeProvider.System)
                    .Create(NodeStores.Admin, "benchadmin", "memory benchmark", TokenScopes.Read | TokenScopes.Write, null).Secret;
                stores.EnsureOffers();
                for (var i = 0; i < records; i++)
                {
                    ids.Add(stores.Records.Create(NodeStores.Admin, Offers.Slug, null, Offers.Element(i)).Record.Id);
                    if ((i + 1) % 20_000 == 0) Console.WriteLine($"  {i + 1:N0} ({(i + 1) / sw.Elapsed.TotalSeconds:N0} records/s)");
                }
            }
            var fileBytes = Directory.GetFiles(dataDir, "*.db").Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"wrote {records:N0} records in {sw.Elapsed.TotalSeconds:N1} s; data files {fileBytes / 1048576.0:N1} MiB");

            // 3. The node started again on that folder: idle, then after reads.
            string readReport;
            using (var node = NodeProcess.Start(dll, dataDir))
            {
                node.WaitHealthy();
                Thread.Sleep(IdleSettle);
                results.Add(($"idle, {records:N0} records", node.Memory()));
                readReport = ServeReads(node, secret, ids);
                Thread.Sleep(TimeSpan.FromSeconds(1));
                results.Add(($"{records:N0} records, after the reads", node.Memory()));
                node.Stop();
            }

            Console.WriteLine();
            Console.WriteLine($"Resident memory of commons-node serve — {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}");
            Console.WriteLine($"node measured: {dll}; idle figures {IdleSettle.TotalSeconds:N0} s after /healthz; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (1 min)");
            Console.WriteLine();
            Console.WriteLine("| node state | VmRSS | VmHWM (peak) |");
            Console.WriteLine("|---|---|---|");
            foreach (var (phase, mem) in results) Console.WriteLine($"| {phase} | {mem.RssMiB:N1} MiB | {mem.HwmMiB:N1} MiB |");
            Console.WriteLine();
            Console.WriteLine($"data files: {fileBytes / 1048576.0:N1} MiB for {records:N0} records; reads served: {readReport}");
            return 0;
        }
        catch (NodeFailedException e)
        {
            Console.Error.WriteLine($"memory: {e.Message}");
            return 1;
        }
        finally
        {
            if (keep) Console.WriteLine($"data folder kept: {dataDir}" + (published is null && publishDir is not null ? $"; published node kept: {publishDir}" : ""));
            else
            {
                TempDirs.Delete(dataDir);
                if (published is null) TempDirs.Delete(publishDir);
            }
        }
    }

    /// <summary>1,000 reads by id and 20 list pages over the API with a personal access token; returns the status codes seen.</summary>
    private static string ServeReads(NodeProcess node, string token, IReadOnlyList<string> ids)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Count(string what, HttpStatusCode code) => codes[$"{what} {(int)code}"] = codes.GetValueOrDefault($"{what} {(int)code}") + 1;
        var random = new Random(7);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 1_000; i++)
        {
            using var r = http.GetAsync($"/api/datasets/{Offers.Slug}/records/{ids[random.Next(ids.Count)]}").GetAwaiter().GetResult();
            _ = r.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            Count("GET record", r.StatusCode);
        }
        for (var i = 0; i < 20; i++)
        {
            using var r = http.GetAsync($"/api/datasets/{Offers.Slug}/records?limit=100").GetAwaiter().GetResult();
            _ = r.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            Count("GET list", r.StatusCode);
        }
        var report = string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}")) + $" in {sw.Elapsed.TotalSeconds:N1} s";
        if (codes.Keys.Any(k => !k.EndsWith(" 200", StringComparison.Ordinal)))
            report += " (WARNING: not all answered 200 — the API routes may not exist yet; RSS was still measured)";
        return report;
    }

    internal static string? RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) return dir.FullName;
        }
        return null;
    }

    internal static (int Code, string Output) RunTool(string file, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    public readonly record struct Mem(long RssKiB, long HwmKiB)
    {
        public double RssMiB => RssKiB / 1024.0;
        public double HwmMiB => HwmKiB / 1024.0;
    }

    internal sealed class NodeFailedException(string message) : Exception(message);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>One <c>dotnet commons-node.dll serve</c> process on a free loopback port.</summary>
    internal sealed class NodeProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();
        public Uri BaseAddress { get; }

        private NodeProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

        /// <param name="environment">Extra settings, given the node's base address (its public URL depends on the port).</param>
        public static NodeProcess Start(string dll, string dataDir, Func<Uri, IReadOnlyDictionary<string, string>>? environment = null)
        {
            var port = FreePort();
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = dataDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.ArgumentList.Add(dll);
            psi.ArgumentList.Add("serve");
            psi.Environment["COMMONS__DATADIRECTORY"] = dataDir;
            psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            foreach (var (k, v) in environment?.Invoke(new Uri($"http://127.0.0.1:{port}")) ?? new Dictionary<string, string>()) psi.Environment[k] = v;
            var process = new Process { StartInfo = psi };
            var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"));
            // The node's output is kept (it may hold a one-time setup secret) and shown only if the node fails.
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (node._log) node._log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (node._log) node._log.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Console.WriteLine($"node started: pid {process.Id}, {node.BaseAddress}");
            return node;
        }

        public void WaitHealthy()
        {
            using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(180))
            {
                if (_process.HasExited) throw new NodeFailedException($"the node exited with code {_process.ExitCode} before /healthz answered:\n{Log()}");
                try
                {
                    using var r = http.GetAsync("/healthz").GetAwaiter().GetResult();
                    if (r.IsSuccessStatusCode)
                    {
                        Console.WriteLine($"  /healthz answered after {deadline.Elapsed.TotalSeconds:N1} s");
                        return;
                    }
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                Thread.Sleep(200);
            }
            throw new NodeFailedException($"/healthz did not answer within 180 s (a loaded machine starts slowly):\n{Log()}");
        }

        public Mem Memory()
        {
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiB(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = KiB(line);
            }
            Console.WriteLine($"  VmRSS {rss / 1024.0:N1} MiB, VmHWM {hwm / 1024.0:N1} MiB");
            return new Mem(rss, hwm);

            static long KiB(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv);
        }

        /// <summary>SIGTERM (graceful shutdown), then SIGKILL after 20 s.</summary>
        public void Stop()
        {
            if (_process.HasExited) return;
            _ = kill(_process.Id, 15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                Console.Error.WriteLine("  the node ignored SIGTERM for 20 s; killing it");
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        private string Log()
        {
            lock (_log) return _log.Length > 4000 ? _log.ToString(_log.Length - 4000, 4000) : _log.ToString();
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }
    }
}
