using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Commons.Modules.Employers.Tests.Support;

/// <summary>
/// A whole node (the host, its federation endpoints, a LiteDB store in a temporary folder) on a real socket at
/// 127.0.0.1, with the employers' group turned on: a group node or a member organisation's node.
/// </summary>
public sealed class WholeNode : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-employers";
    private readonly Host _host;
    private string? _jwt;
    private bool _stopped;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Authority => $"127.0.0.1:{Port}";
    public string NodeActor => $"{Url}/actor";
    public string DatasetActor(string slug) => $"{Url}/datasets/{slug}";
    public string Handle(string slug) => $"{slug}@{Authority}";
    public IServiceProvider Services => _host.Services;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-employers", Guid.NewGuid().ToString("N"));

    private WholeNode(int port)
    {
        Port = port;
        _host = new Host(this);
    }

    public static async Task<WholeNode> StartAsync()
    {
        var node = new WholeNode(FreePort());
        node._host.UseKestrel(node.Port);
        node._host.StartServer();
        using var admin = await node.AdminAsync();
        await Expect(await admin.PutAsJsonAsync("/api/admin/modules/employers", new { enabled = true }), 200);
        return node;
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

    public async Task DatasetAsync(string slug, string kind, params string[] allowedPeers)
    {
        using var admin = await AdminAsync();
        await Expect(await admin.PostAsJsonAsync("/api/datasets", new JsonObject
        {
            ["slug"] = slug, ["title"] = new JsonObject { ["en"] = slug }, ["kind"] = kind, ["policy"] = "peers",
            ["allowedPeers"] = new JsonArray(allowedPeers.Select(p => (JsonNode)p).ToArray()),
        }), 201);
    }

    public async Task RecordAsync(string slug, string? id, string json)
    {
        using var admin = await AdminAsync();
        var body = new JsonObject { ["data"] = JsonNode.Parse(json) };
        if (id is not null) body["id"] = id;
        await Expect(await admin.PostAsJsonAsync($"/api/datasets/{slug}/records", body), 201);
    }

    /// <summary>Follows a remote dataset and waits until the subscription is accepted; returns its id.</summary>
    public async Task<string> FollowAsync(string handle)
    {
        using var admin = await AdminAsync();
        var id = (string)(await Expect(await admin.PostAsJsonAsync("/api/subscriptions", new { target = handle }), 201))["id"]!;
        await Until(async () => (string?)(await Expect(await admin.GetAsync($"/api/subscriptions/{id}"), 200))["state"] == "accepted", $"subscription {id} accepted");
        return id;
    }

    public static async Task<JsonObject> Expect(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return body.Length == 0 || body[0] != '{' ? [] : JsonNode.Parse(body) as JsonObject ?? [];
    }

    /// <summary>Waits for <paramref name="condition"/> with a deadline; never a fixed delay alone.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var end = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"waited 30 s for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the node (its address then refuses connections); its folder goes at dispose.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private sealed class Host(WholeNode node) : WebApplicationFactory<Commons.Node.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (k, v) in new Dictionary<string, string>
            {
                ["urls"] = node.Url, ["Commons:PublicUrl"] = node.Url, ["Commons:DataDirectory"] = node.DataDirectory,
                ["Commons:AdminSocket"] = "false", ["Commons:InitialAdminPassword"] = AdminPassword,
                ["Commons:Security:PasswordIterations"] = "1000", ["Federation:AllowPrivateNetworks"] = "true", ["Federation:RequestTimeout"] = "00:01:00",
                ["Map:Crawl:Background"] = "false", ["Logging:LogLevel:Default"] = "Warning",
            })
                builder.UseSetting(k, v);
        }
    }
}
