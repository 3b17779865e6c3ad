using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Commons.Bench.Credit;

/// <summary>A benchmark step that could not go on: why, for one line on standard error.</summary>
public sealed class BenchFailedException(string message) : Exception(message);

/// <summary>
/// A node process (<c>dotnet commons-node.dll serve</c>, Release) on 127.0.0.1 with its own data folder, signed in as
/// its administrator; its output is kept and shown only when it fails.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private const string Password = "bench-password-for-credit";
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _folder;

    public Uri BaseAddress { get; }
    public string Url => BaseAddress.ToString().TrimEnd('/');
    public string Authority => BaseAddress.Authority;
    public string Actor => $"{Url}/actor";
    public HttpClient Api { get; private set; } = null!;

    private NodeProcess(string dll)
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _folder = Path.Combine(Path.GetTempPath(), "commons-bench-credit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "serve", "--urls", Url }) start.ArgumentList.Add(arg);
        start.Environment["COMMONS__DATADIRECTORY"] = _folder;
        start.Environment["COMMONS__PUBLICURL"] = Url;
        start.Environment["COMMONS__ADMINSOCKET"] = "false";
        start.Environment["COMMONS__INITIALADMINPASSWORD"] = Password;
        start.Environment["COMMONS__SECURITY__PASSWORDITERATIONS"] = "1000";
        start.Environment["FEDERATION__ALLOWPRIVATENETWORKS"] = "true";
        start.Environment["LOGGING__LOGLEVEL__DEFAULT"] = "Warning";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the node, waits for /readyz and signs in.</summary>
    public static async Task<NodeProcess> StartAsync(string dll)
    {
        var node = new NodeProcess(dll);
        using var probe = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (node._process.HasExited) throw new BenchFailedException($"the node exited with code {node._process.ExitCode}:\n{node.Log()}");
            try
            {
                if ((await probe.GetAsync("/readyz")).IsSuccessStatusCode) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (waited.Elapsed > TimeSpan.FromSeconds(90)) throw new BenchFailedException($"the node was not ready within 90 s:\n{node.Log()}");
            await Task.Delay(100);
        }
        node.Api = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var login = await Expect(await node.Api.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = Password }), HttpStatusCode.OK);
        node.Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)login["accessToken"]!);
        return node;
    }

    public string Log()
    {
        lock (_log) return _log.ToString();
    }

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status)
            throw new BenchFailedException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return text.Length > 0 && JsonNode.Parse(text) is JsonObject o ? o : new JsonObject();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public void Dispose()
    {
        Api?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
