using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests.Support;

/// <summary>
/// A whole node (the host, its federation endpoints, a LiteDB store in a temporary folder) on a real socket at
/// 127.0.0.1, with the map turned on and a log of every request it received: path and query, whether it was signed,
/// and the time on the test's clock when it arrived.
/// </summary>
public sealed class PeerNode : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-map-crawl";
    private readonly Host _host;
    private string? _jwt;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Authority => $"127.0.0.1:{Port}";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-map-crawl", Guid.NewGuid().ToString("N"));
    public ConcurrentQueue<(string PathAndQuery, bool Signed, DateTimeOffset At)> Requests { get; } = new();

    private PeerNode(int port, TimeProvider testClock)
    {
        Port = port;
        _host = new Host(this, testClock);
    }

    public static async Task<PeerNode> StartAsync(TimeProvider testClock)
    {
        var node = new PeerNode(FreePort(), testClock);
        node._host.UseKestrel(node.Port);
        node._host.StartServer();
        using var admin = await node.AdminAsync();
        await Expect(await admin.PutAsJsonAsync("/api/admin/modules/map", new { enabled = true }), 200);
        node.Requests.Clear();
        return node;
    }

    /// <summary>A map.profile dataset with <paramref name="policy"/> holding <paramref name="profile"/>.</summary>
    public async Task ProfileAsync(string policy, JsonObject profile)
    {
        using var admin = await AdminAsync();
        await Expect(await admin.PostAsJsonAsync("/api/datasets", new { slug = "profile", title = new { en = "Profile" }, kind = "map.profile", policy }), 201);
        await Expect(await admin.PutAsJsonAsync("/api/map/profile", new JsonObject { ["data"] = profile }), 200);
    }

    public async Task<HttpClient> AdminAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        if (_jwt is null)
        {
            var login = await Expect(await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = AdminPassword }), 200);
            _jwt = (string)login["accessToken"]!;
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _jwt);
        return client;
    }

    public static async Task<JsonObject> Expect(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        try { System.IO.Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private sealed class Host(PeerNode node, TimeProvider testClock) : WebApplicationFactory<Commons.Node.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (k, v) in new Dictionary<string, string>
            {
                ["urls"] = node.Url, ["Commons:PublicUrl"] = node.Url, ["Commons:DataDirectory"] = node.DataDirectory,
                ["Commons:AdminSocket"] = "false", ["Commons:InitialAdminPassword"] = AdminPassword,
                ["Commons:Security:PasswordIterations"] = "1000", ["Federation:AllowPrivateNetworks"] = "true",
                ["Map:Crawl:Background"] = "false", ["Logging:LogLevel:Default"] = "Warning",
            })
                builder.UseSetting(k, v);
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new RequestLog(node, testClock)));
        }
    }

    private sealed class RequestLog(PeerNode node, TimeProvider clock) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, call) =>
            {
                var signed = http.Request.Headers.ContainsKey("Signature") || http.Request.Headers.ContainsKey("Signature-Input");
                if (!http.Request.Path.StartsWithSegments("/api"))
                    node.Requests.Enqueue((http.Request.Path + http.Request.QueryString, signed, clock.GetUtcNow()));
                await call(http);
            });
            next(app);
        };
    }
}
