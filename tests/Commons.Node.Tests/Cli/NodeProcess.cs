using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Commons.Node.Tests.Cli;

/// <summary>A real node process (<c>dotnet commons-node.dll serve</c>) on a loopback port, over a data folder that outlives it.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    public const string AdminPassword = "test-admin-password-1";
    private readonly Process _process;
    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public HttpClient Http { get; }
    private System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>The errors the node logged, with their stacks (for a failing test's message).</summary>
    public string RecentOutput => string.Join('\n', _log);

    /// <summary>The first lines the node wrote (stdout and stderr), startup included.</summary>
    public string Output => string.Join('\n', _output);
    private System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "commons-node.dll");

    /// <summary>The node's process id (its /proc entry: what it has mapped).</summary>
    public int ProcessId => _process.Id;

    /// <param name="listenHost">The host in <c>--urls</c> (<c>0.0.0.0</c> listens beyond loopback); the test always talks to 127.0.0.1.</param>
    public static async Task<NodeProcess> StartAsync(string dataDirectory, bool adminSocket = true, int? port = null, IReadOnlyDictionary<string, string>? environment = null, string listenHost = "127.0.0.1")
    {
        port ??= FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        foreach (var a in new[] { Dll, "serve", "--urls", $"http://{listenHost}:{port}" }) start.ArgumentList.Add(a);
        Environment(start, dataDirectory);
        start.Environment["COMMONS__ADMINSOCKET"] = adminSocket ? "true" : "false";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var failing = 0;
        void Keep(string? line)
        {
            if (line is null) return;
            if (output.Count < 2000) output.Enqueue(line);
            // Errors and what follows them (their stack), not the request chatter.
            if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)) failing = 40;
            if (failing-- <= 0) return;
            log.Enqueue(line);
            while (log.Count > 400) log.TryDequeue(out _);
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory) { _log = log, _output = output };
        await node.WaitHealthyAsync();
        return node;
    }

    public static void Environment(ProcessStartInfo start, string dataDirectory)
    {
        start.Environment["COMMONS__DATADIRECTORY"] = dataDirectory;
        start.Environment["COMMONS__INITIALADMINPASSWORD"] = AdminPassword;
        start.Environment["COMMONS__SECURITY__PASSWORDITERATIONS"] = "1000";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the node exited with code {_process.ExitCode}");
            try
            {
                if ((await Http.GetAsync("/readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("the node did not become ready within 60 s");
    }

    public async Task<HttpClient> SignInAsync()
    {
        var response = await Http.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>A clean stop (SIGTERM), letting the host close the store.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { await StopAsync(); }
            catch (OperationCanceledException) { Kill(); }
        }
        Http.Dispose();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>Runs the admin CLI as a person would, and captures what it prints.</summary>
public static class CommonsCli
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static async Task<Result> RunAsync(string dataDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(NodeProcess.Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        NodeProcess.Environment(start, dataDirectory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // A command that never ends (a 'serve' that should have refused to start) must not outlive its test.
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("commons-test-").FullName;
    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
