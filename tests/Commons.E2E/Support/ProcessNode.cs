using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Commons.E2E.Support;

/// <summary>
/// A node in its own operating-system process (<c>dotnet commons-node.dll serve</c>), so a test can kill it as a crash
/// would (SIGKILL: no shutdown code runs, the store is left as the kill found it) and start it again over the same data
/// folder and port. It runs the production settings but for the harness's own (public URL, loopback peers allowed, a
/// quick password hash); tests reach it through HTTP only.
/// </summary>
public sealed class ProcessNode : IAsyncDisposable
{
    private Process? _process;
    private readonly ConcurrentQueue<string> _errors = new();
    private string? _adminJwt;
    private int _counter;

    public int Port { get; }
    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public string Url => BaseAddress.ToString().TrimEnd('/');
    public string Authority => BaseAddress.Authority;
    public string DatasetActor(string slug) => $"{Url}/datasets/{slug}";
    public string Handle(string slug) => $"{slug}@{Authority}";
    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";

    /// <summary>The last errors the node logged, for a failing test's message.</summary>
    public string Errors => string.Join('\n', _errors);

    /// <summary>Environment over the harness's own (e.g. <c>COMMONS__ADMINSOCKET=true</c> for the CLI to reach the running node).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    private ProcessNode(int port, string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        Environment = environment ?? new Dictionary<string, string>();
        Port = port;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public static async Task<ProcessNode> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var node = new ProcessNode(TestNode.FreePort(), Path.Combine(Path.GetTempPath(), "commons-e2e", Guid.NewGuid().ToString("N")), environment);
        try
        {
            await node.RestartAsync();
        }
        catch
        {
            // A node that never became ready is not left running behind a failed test.
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>Starts the process over the node's data folder and port, and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("the node is running");
        Directory.CreateDirectory(DataDirectory);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DataDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "commons-node.dll"), "serve", "--urls", Url }) start.ArgumentList.Add(arg);
        start.Environment["COMMONS__DATADIRECTORY"] = DataDirectory;
        start.Environment["COMMONS__PUBLICURL"] = Url;
        start.Environment["COMMONS__ADMINSOCKET"] = "false";
        start.Environment["COMMONS__INITIALADMINPASSWORD"] = TestNode.AdminPassword;
        start.Environment["COMMONS__SECURITY__PASSWORDITERATIONS"] = "1000";
        start.Environment["FEDERATION__ALLOWPRIVATENETWORKS"] = "true";
        start.Environment["LOGGING__LOGLEVEL__DEFAULT"] = "Warning";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _adminJwt = null;
        using var probe = Anonymous();
        await Wait.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"the node exited with code {process.ExitCode}: {Errors}");
            try { return (await probe.GetAsync("/readyz")).IsSuccessStatusCode; }
            // A probe that outlasts the client's timeout on a loaded machine is asked again.
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
        }, "the node process to be ready", TimeSpan.FromSeconds(180));
    }

    private void Keep(string? line)
    {
        if (line is null || !(line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal) || line.StartsWith("      ", StringComparison.Ordinal))) return;
        _errors.Enqueue(line);
        while (_errors.Count > 200) _errors.TryDequeue(out _);
    }

    /// <summary>SIGKILL, as a crash or a power cut would stop it.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it: the node shuts down in order. Waits until the process has exited.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process) return;
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) await term.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client signed in as the administrator.</summary>
    public async Task<HttpClient> AdminAsync()
    {
        if (_adminJwt is null)
        {
            using var anonymous = Anonymous();
            var body = await Http.Expect(await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = TestNode.AdminPassword }), 200);
            _adminJwt = (string)body["accessToken"]!;
        }
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminJwt);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
