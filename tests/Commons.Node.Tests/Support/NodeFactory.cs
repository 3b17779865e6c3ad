using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Commons.Node.Tests.Support;

/// <summary>
/// A node on a real Kestrel socket (127.0.0.1, dynamic port) with its own temporary data folder, no admin socket,
/// a known admin password, cheap password hashing and a clock the test can move.
/// </summary>
public class NodeFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-for-tests";
    public const string MemberPassword = "member-password-for-tests";

    private readonly Dictionary<string, string?> _settings;
    private readonly Lock _gate = new();
    private Uri? _address;
    private int _counter;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-node-tests", Guid.NewGuid().ToString("N"));
    public FakeClock Clock { get; } = new();

    public NodeFactory()
    {
        _settings = new Dictionary<string, string?>
        {
            ["Commons:DataDirectory"] = DataDirectory,
            ["Commons:AdminSocket"] = "false",
            ["Commons:InitialAdminPassword"] = AdminPassword,
            ["Commons:Security:PasswordIterations"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        UseKestrel(0);
    }

    /// <summary>Extra configuration for a subclass (limits, lifetimes).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings.Concat(Settings)) builder.UseSetting(k, v);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>The node's real HTTP address, starting it on first use.</summary>
    public Uri Address
    {
        get
        {
            lock (_gate)
            {
                if (_address is not null) return _address;
                StartServer();
                var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
                _address = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) || a.StartsWith("http://localhost:", StringComparison.Ordinal)));
                // The factory takes the entry point's return as started: a node that refused to start (its store in use) is port 0.
                if (_address.Port == 0) throw new InvalidOperationException("the node did not get a port: Program.Main returned before listening");
                return _address;
            }
        }
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A unique, valid name for this node (usernames, slugs).</summary>
    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";

    /// <summary>A client over real HTTP; with a bearer credential when given.</summary>
    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async Task<JsonObject> LoginAsync(string username, string password)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"login as {username}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<string> AccessTokenAsync(string username, string password) =>
        (string)(await LoginAsync(username, password))["accessToken"]!;

    private string? _adminJwt;
    public async Task<HttpClient> AdminAsync() => Client(_adminJwt ??= await AccessTokenAsync("admin", AdminPassword));

    /// <summary>Adds a member through the API (as admin) and returns their username.</summary>
    public async Task<string> CreateMemberAsync(string? username = null, string role = "member")
    {
        username ??= Unique("m");
        using var admin = await AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/members", new { username, password = MemberPassword, role });
        await Expect(response, 201);
        return username;
    }

    /// <summary>Creates a personal access token for the holder of <paramref name="bearer"/>; returns (id, secret).</summary>
    public async Task<(string Id, string Secret)> CreatePatAsync(string bearer, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        using var client = Client(bearer);
        while (true)
        {
            var response = await client.PostAsJsonAsync("/api/tokens", new { name = Unique("token"), scopes, expiresAt });
            var body = await Expect(response, 201);
            var (id, secret) = ((string)body["token"]!["id"]!, (string)body["secret"]!);
            // TokenSecrets.TryParse splits on every '_', and the base64url secret part contains one about half the time,
            // so such a token never authenticates (TokenSecretTests shows it). Tests that need a working token use one without.
            if (secret.Count(c => c == '_') == 2) return (id, secret);
            await Expect(await client.DeleteAsync($"/api/tokens/{id}"), 204);
        }
    }

    /// <summary>Creates a dataset as admin; returns its slug.</summary>
    public async Task<string> CreateDatasetAsync(string policy = "private", JsonNode? schema = null, string? title = null, string? slug = null,
        IEnumerable<(string Username, string Role)>? grants = null)
    {
        slug ??= Unique("ds-");
        using var admin = await AdminAsync();
        var request = new JsonObject
        {
            ["slug"] = slug,
            ["title"] = new JsonObject { ["en"] = title ?? $"Dataset {slug}" },
            ["policy"] = policy,
        };
        if (schema is not null) request["schema"] = schema.DeepClone();
        await Expect(await admin.PostAsync("/api/datasets", Json(request)), 201);
        foreach (var (user, role) in grants ?? [])
            await Expect(await admin.PutAsync($"/api/datasets/{slug}/grants/{user}", Json(new JsonObject { ["role"] = role })), 200);
        return slug;
    }

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Asserts the status and returns the JSON body (an empty object when there is none).</summary>
    public static async Task<JsonObject> Expect(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject ?? new JsonObject { ["items"] = JsonNode.Parse(body) };
    }

    /// <summary>Asserts an RFC 9457 problem document with this status and one of the node's documented codes, and returns it.</summary>
    public static async Task<JsonObject> ExpectProblem(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), body);
        var code = (string?)problem["code"];
        Assert.True(code is not null && (ProblemCodeTable.Codes.Contains(code) || ProblemCodeTable.ModuleCodes.Contains(code)), $"not a documented problem code: {body}");
        return problem;
    }

    public static async Task<JsonObject> ExpectValidation(HttpResponseMessage response, string path, int status = 400)
    {
        var problem = await ExpectProblem(response, status);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), problem.ToJsonString());
        var paths = problem["errors"]?.AsArray().Select(e => (string?)e!["path"]).ToList() ?? [];
        Assert.True(paths.Contains(path), $"expected an error at '{path}', got [{string.Join(", ", paths)}]: {problem.ToJsonString()}");
        return problem;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) TryDelete();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await StoreClosedAsync();
        TryDelete();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Waits (at most 30 s) until the node has closed its store. The host's services are disposed twice, by the factory and
    /// by Program's own <c>app.Run()</c> on the entry-point thread, and the first to return may be the one that found the
    /// other already at work; a node started at once on the same folder would then find the store in use.
    /// </summary>
    private async Task StoreClosedAsync()
    {
        var folder = _settings.Concat(Settings).Last(s => s.Key == "Commons:DataDirectory").Value!;
        var lockFile = Path.Combine(folder, CommonsDatabase.LockFileName);
        for (var waited = 0; File.Exists(lockFile) && waited < 30_000; waited += 50)
        {
            try
            {
                using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) return;
            }
            catch (IOException) { await Task.Delay(50); }
        }
    }

    private void TryDelete()
    {
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
