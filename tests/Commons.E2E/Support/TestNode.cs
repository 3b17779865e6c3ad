using Commons.Storage;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Commons.E2E.Support;

/// <summary>
/// One real node in the test process: Kestrel on 127.0.0.1 on a port chosen before start (its public URL, actor ids and
/// keys depend on it), its own data folder, the real clock, real signatures. <see cref="StopAsync"/> keeps the data
/// folder so <see cref="RestartAsync"/> can bring the same node back on the same port.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-e2e";

    private NodeHost? _host;
    private string? _adminJwt;
    private int _counter;

    public int Port { get; }
    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public string Url => BaseAddress.ToString().TrimEnd('/');

    /// <summary>host:port, as peers and allow-lists name this node.</summary>
    public string Authority => BaseAddress.Authority;

    /// <summary>The node actor: the actor that follows remote datasets on this node's behalf.</summary>
    public string NodeActor => $"{Url}/actor";

    public string DatasetActor(string slug) => $"{Url}/datasets/{slug}";

    public string Handle(string slug) => $"{slug}@{Authority}";

    /// <summary>Extra configuration (e.g. <c>Federation:KeepReplicaOnUnfollow</c>), applied over the harness's own.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Services added over the node's own (a test kind, a test request handler), after the harness's.</summary>
    public Action<IServiceCollection>? ExtraServices { get; }

    private TestNode(int port, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        Settings = settings ?? new Dictionary<string, string>();
        ExtraServices = services;
        Port = port;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public static async Task<TestNode> StartAsync(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var node = new TestNode(FreePort(), Path.Combine(Path.GetTempPath(), "commons-e2e", Guid.NewGuid().ToString("N")), settings, services);
        await node.RestartAsync();
        return node;
    }

    public bool Running => _host is not null;

    /// <summary>Every delivery attempt this node made (across restarts).</summary>
    public DeliveryLog Deliveries { get; } = new();

    /// <summary>(Re)starts the node over its data folder and port, and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        if (_host is not null) throw new InvalidOperationException("the node is running");
        Directory.CreateDirectory(DataDirectory);
        var host = new NodeHost(this);
        host.UseKestrel(Port);
        _host = host;
        host.StartServer();
        _adminJwt = null;
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Wait.UntilAsync(async () =>
        {
            try { return (await probe.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, "the node to be ready");
    }

    /// <summary>Stops the node (as a shutdown would), keeping its data folder.</summary>
    public async Task StopAsync()
    {
        if (_host is null) return;
        var host = _host;
        _host = null;
        await host.DisposeAsync();
        // Program's own app.Run() disposes the services too, and may still be closing the store when the factory returns.
        var lockFile = Path.Combine(DataDirectory, CommonsDatabase.LockFileName);
        await Wait.UntilAsync(() =>
        {
            try { using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)) return Task.FromResult(true); }
            catch (IOException) { return Task.FromResult(false); }
        }, "the node to close its store");
    }

    public T Service<T>() where T : notnull =>
        (_host ?? throw new InvalidOperationException("the node is stopped")).Services.GetRequiredService<T>();

    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client signed in as the administrator (who stewards every dataset).</summary>
    public async Task<HttpClient> AdminAsync()
    {
        if (_adminJwt is null)
        {
            using var anonymous = Anonymous();
            var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = AdminPassword });
            var body = await Http.Expect(response, 200);
            _adminJwt = (string)body["accessToken"]!;
        }
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminJwt);
        return client;
    }

    /// <summary>Creates a dataset as admin (schema: any object) and returns its slug.</summary>
    public async Task<string> CreateDatasetAsync(string policy, string[]? excludedFields = null, string[]? allowedPeers = null)
    {
        var slug = Unique($"{policy}-");
        var request = new JsonObject
        {
            ["slug"] = slug,
            ["title"] = new JsonObject { ["en"] = $"Dataset {slug}" },
            ["policy"] = policy,
        };
        if (excludedFields is not null) request["excludedFields"] = new JsonArray(excludedFields.Select(f => (JsonNode)f).ToArray());
        if (allowedPeers is not null) request["allowedPeers"] = new JsonArray(allowedPeers.Select(f => (JsonNode)f).ToArray());
        using var admin = await AdminAsync();
        await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(request)), 201);
        return slug;
    }

    public async Task<JsonObject> CreateRecordAsync(string slug, string id, JsonObject data, bool shared = true)
    {
        using var admin = await AdminAsync();
        var body = new JsonObject { ["id"] = id, ["data"] = data, ["shared"] = shared };
        return await Http.Expect(await admin.PostAsync($"/api/datasets/{slug}/records", Http.Json(body)), 201);
    }

    public async Task<JsonObject> UpdateRecordAsync(string slug, string id, JsonObject? data = null, bool? shared = null)
    {
        using var admin = await AdminAsync();
        var body = new JsonObject();
        if (data is not null) body["data"] = data;
        if (shared is not null) body["shared"] = shared.Value;
        return await Http.Expect(await admin.PutAsync($"/api/datasets/{slug}/records/{id}", Http.Json(body)), 200);
    }

    public async Task DeleteRecordAsync(string slug, string id)
    {
        using var admin = await AdminAsync();
        await Http.Expect(await admin.DeleteAsync($"/api/datasets/{slug}/records/{id}"), 204);
    }

    /// <summary>Follows a remote dataset by handle or URL; returns the subscription as the API answered (201).</summary>
    public async Task<JsonObject> FollowAsync(string target)
    {
        using var admin = await AdminAsync();
        return await Http.Expect(await admin.PostAsJsonAsync("/api/subscriptions", new { target }), 201);
    }

    public async Task<JsonObject> SubscriptionAsync(string id)
    {
        using var admin = await AdminAsync();
        return await Http.Expect(await admin.GetAsync($"/api/subscriptions/{id}"), 200);
    }

    public async Task<string> SubscriptionStateAsync(string id) => (string)(await SubscriptionAsync(id))["state"]!;

    /// <summary>The replica of a followed dataset: record id → the replica entry (revision, data, name).</summary>
    public async Task<Dictionary<string, JsonObject>> ReplicaAsync(string subscriptionId)
    {
        using var admin = await AdminAsync();
        var page = await Http.Expect(await admin.GetAsync($"/api/subscriptions/{subscriptionId}/records?limit=500"), 200);
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToDictionary(i => (string)i["id"]!);
    }

    /// <summary>Followers of one of our datasets as the steward API lists them: actor → state.</summary>
    public async Task<Dictionary<string, string>> FollowersAsync(string slug, string? state = null)
    {
        using var admin = await AdminAsync();
        var body = await Http.Expect(await admin.GetAsync($"/api/datasets/{slug}/followers" + (state is null ? "" : $"?state={state}")), 200);
        return body["items"]!.AsArray().ToDictionary(f => (string)f!["actor"]!, f => (string)f!["state"]!);
    }

    /// <summary>Changes a dataset's sharing policy (and allow-list) as admin.</summary>
    public async Task SetPolicyAsync(string slug, string policy, string[]? allowedPeers = null)
    {
        var body = new JsonObject { ["policy"] = policy };
        if (allowedPeers is not null) body["allowedPeers"] = new JsonArray(allowedPeers.Select(p => (JsonNode)p).ToArray());
        using var admin = await AdminAsync();
        await Http.Expect(await admin.PatchAsync($"/api/datasets/{slug}", Http.Json(body)), 200);
    }

    /// <summary>The revocations of one of our datasets as the steward API lists them, newest first.</summary>
    public async Task<List<JsonObject>> RevocationsAsync(string slug)
    {
        using var admin = await AdminAsync();
        var body = await Http.Expect(await admin.GetAsync($"/api/datasets/{slug}/revocations"), 200);
        return body["items"]!.AsArray().Select(r => r!.AsObject()).ToList();
    }

    public async Task<HttpResponseMessage> StewardAsync(string slug, string action, string actor)
    {
        using var admin = await AdminAsync();
        return await admin.PostAsJsonAsync($"/api/datasets/{slug}/followers/{action}", new { actor });
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port free now and never handed out before in this process: the system may give a released port again, and two
    /// nodes of parallel tests on one port would take each other's datasets for their own ("that dataset is on this node").
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port;
            try { port = ((IPEndPoint)listener.LocalEndpoint).Port; }
            finally { listener.Stop(); }
            lock (HandedOut)
                if (HandedOut.Add(port)) return port;
        }
    }

    private sealed class NodeHost(TestNode node) : WebApplicationFactory<Commons.Node.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var settings = new Dictionary<string, string>
            {
                ["urls"] = node.Url,
                ["Commons:PublicUrl"] = node.Url,
                ["Commons:DataDirectory"] = node.DataDirectory,
                ["Commons:AdminSocket"] = "false",
                ["Commons:InitialAdminPassword"] = AdminPassword,
                ["Commons:Security:PasswordIterations"] = "1000",
                ["Federation:AllowPrivateNetworks"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (k, v) in node.Settings) settings[k] = v;
            foreach (var (k, v) in settings) builder.UseSetting(k, v);
            builder.ConfigureTestServices(services =>
            {
                // A peer that was down is retried within seconds, not the production 30 s.
                services.RemoveAll<RetrySchedule>();
                services.AddSingleton(new RetrySchedule { First = TimeSpan.FromSeconds(1), Cap = TimeSpan.FromSeconds(2) });
                // A peer's rotated key is refetched at once (production waits 30 s between refetches of one actor).
                services.AddSingleton(new RemoteActorCacheOptions { MinRefreshInterval = TimeSpan.Zero });
                // The real sender, watched: which activity went to which inbox, and what the peer answered.
                services.RemoveAll<IActivitySender>();
                services.AddSingleton<SignedActivitySender>();
                services.AddSingleton(node.Deliveries);
                services.AddSingleton<IActivitySender>(sp => new RecordingSender(sp.GetRequiredService<SignedActivitySender>(), node.Deliveries));
                node.ExtraServices?.Invoke(services);
            });
        }
    }
}

/// <summary>Request helpers.</summary>
public static class Http
{
    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Asserts the status and returns the JSON body (an empty object when there is none; an array under "items").</summary>
    public static async Task<JsonObject> Expect(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject ?? new JsonObject { ["items"] = JsonNode.Parse(body) };
    }
}

/// <summary>Polling with a deadline: the only way these tests wait.</summary>
public static class Wait
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? Deadline);
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > end) throw new TimeoutException($"waited {(deadline ?? Deadline).TotalSeconds} s for {what}");
            await Task.Delay(75);
        }
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="accept"/> holds; returns the last value read.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string what, TimeSpan? deadline = null)
    {
        T value = default!;
        await UntilAsync(async () => accept(value = await read()), what, deadline);
        return value;
    }
}
