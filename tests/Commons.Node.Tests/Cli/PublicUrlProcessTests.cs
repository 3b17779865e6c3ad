using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// A node that listens beyond loopback (a container's 0.0.0.0) without Commons:PublicUrl would publish ids nobody can
/// reach: it says so loudly at start, serves its members, and refuses to federate (503, code public_url_missing)
/// until the URL is set. A public URL it cannot use stops it at start with one line.
/// </summary>
public sealed class PublicUrlProcessTests
{
    private const string Code = "public_url_missing";

    [Fact]
    public async Task Listening_beyond_loopback_without_a_public_url_serves_members_but_refuses_to_federate()
    {
        using var temp = new TempFolder();
        await using var node = await NodeProcess.StartAsync(temp.Path, listenHost: "0.0.0.0");

        await WaitForAsync(() => node.Output.Contains("FEDERATION IS OFF", StringComparison.Ordinal), "the warning at start");
        Assert.Contains("Commons:PublicUrl is not set", node.Output);

        // Members: the API and the pages work.
        using var admin = await node.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/ui.css")).StatusCode);

        // Peers: every federation endpoint answers 503 with the code.
        var host = node.BaseAddress.Authority;
        await AssertFederationOffAsync(await node.Http.GetAsync($"/.well-known/webfinger?resource=acct:_node@{host}"));
        await AssertFederationOffAsync(await node.Http.GetAsync("/.well-known/nodeinfo"));
        await AssertFederationOffAsync(await node.Http.SendAsync(ActivityGet("/actor")));
        await AssertFederationOffAsync(await node.Http.PostAsync("/inbox", new StringContent("""{"type":"Follow"}""", Encoding.UTF8, "application/activity+json")));

        // Outgoing: following is refused, by the API and by the CLI (through the running node's socket).
        await AssertFederationOffAsync(await admin.PostAsJsonAsync("/api/subscriptions", new { target = "offers@commons.example.org" }));
        var follow = await CommonsCli.RunAsync(temp.Path, "follow", "offers@commons.example.org");
        Assert.Equal(1, follow.ExitCode);
        Assert.Equal("error: this node does not federate until its administrator sets Commons:PublicUrl [public_url_missing]", follow.Err.Trim());
    }

    [Fact]
    public async Task A_public_url_lets_a_node_listening_beyond_loopback_federate_under_it()
    {
        using var temp = new TempFolder();
        await using var node = await NodeProcess.StartAsync(temp.Path, listenHost: "0.0.0.0",
            environment: new Dictionary<string, string> { ["COMMONS__PUBLICURL"] = "https://commons.example.org/" });

        var actor = await node.Http.SendAsync(ActivityGet("/actor"));

        Assert.Equal(HttpStatusCode.OK, actor.StatusCode);
        Assert.Equal("https://commons.example.org/actor", JsonDocument.Parse(await actor.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/.well-known/webfinger?resource=acct:_node@commons.example.org")).StatusCode);
        Assert.DoesNotContain("FEDERATION IS OFF", node.Output);
    }

    [Theory]
    [InlineData("ftp://commons.example.org", "is not an absolute http(s) URL")]
    [InlineData("commons.example.org", "is not an absolute http(s) URL")]
    [InlineData("https://commons.example.org/commons", "without a path, query or fragment")]
    [InlineData("https://commons.example.org/?a=1", "without a path, query or fragment")]
    [InlineData("https://commons.example.org/#top", "without a path, query or fragment")]
    [InlineData("https://admin:secret@commons.example.org", "must not carry a user name or password")]
    [InlineData("http://commons.example.org", "must use https")]
    public async Task A_public_url_the_node_cannot_use_stops_it_with_one_line(string publicUrl, string reason)
    {
        using var temp = new TempFolder();

        var serve = await CommonsCli.RunAsync(temp.Path, "serve", "--urls", $"http://127.0.0.1:{NodeProcess.FreePort()}", $"--Commons:PublicUrl={publicUrl}");

        Assert.Equal(1, serve.ExitCode);
        var line = Assert.Single(serve.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"error: Commons:PublicUrl '{publicUrl}' ", line);
        Assert.Contains(reason, line);
        Assert.False(File.Exists(Path.Combine(temp.Path, "commons.db")), "nothing is created before the settings are usable");
    }

    private static HttpRequestMessage ActivityGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/activity+json");
        return request;
    }

    private static async Task AssertFederationOffAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal(Code, problem.GetProperty("code").GetString());
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not come within 30 s");
            await Task.Delay(50);
        }
    }
}
