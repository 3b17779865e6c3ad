using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Commons.Node.Tests.Cli;

/// <summary>
/// A remote server with many follower actors (<c>/users/{n}</c>, each with its own inbox and RSA key), on 127.0.0.1:
/// it follows datasets with signed Follows and records which activities each inbox received. Its inboxes can be made slow.
/// </summary>
public sealed class FakeFollowers : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    public string Base { get; }
    public TimeSpan InboxDelay { get; set; } = TimeSpan.Zero;
    /// <summary>Per user: the ids and types of the activities their inbox received (duplicates kept).</summary>
    public ConcurrentDictionary<int, ConcurrentBag<(string Id, string Type)>> Received { get; } = new();

    private FakeFollowers(WebApplication app, string @base)
    {
        _app = app;
        Base = @base;
    }

    public string Actor(int n) => $"{Base}/users/{n}";

    public static async Task<FakeFollowers> StartAsync()
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new FakeFollowers(app, $"http://127.0.0.1:{port}");
        var pem = peer._rsa.ExportSubjectPublicKeyInfoPem();
        app.MapGet("/users/{n:int}", (int n) => Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["@context"] = new[] { "https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1" },
            ["id"] = peer.Actor(n), ["type"] = "Person", ["preferredUsername"] = $"user{n}",
            ["inbox"] = $"{peer.Actor(n)}/inbox",
            ["publicKey"] = new { id = $"{peer.Actor(n)}#main-key", owner = peer.Actor(n), publicKeyPem = pem },
        }), "application/activity+json"));
        app.MapPost("/users/{n:int}/inbox", async (int n, HttpRequest request) =>
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            var id = doc.RootElement.GetProperty("id").GetString()!;
            var type = doc.RootElement.GetProperty("type").GetString()!;
            if (type != "Accept" && peer.InboxDelay > TimeSpan.Zero) await Task.Delay(peer.InboxDelay);
            peer.Received.GetOrAdd(n, _ => new ConcurrentBag<(string, string)>()).Add((id, type));
            return Results.StatusCode(202);
        });
        await app.StartAsync();
        return peer;
    }

    /// <summary>User <paramref name="n"/> sends a signed Follow of <paramref name="datasetActor"/> to <paramref name="inbox"/>.</summary>
    public async Task<HttpStatusCode> FollowAsync(int n, string datasetActor, string inbox)
    {
        var follow = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{Actor(n)}#follows/{Guid.NewGuid()}", ["type"] = "Follow", ["actor"] = Actor(n), ["object"] = datasetActor,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, inbox)
        {
            Content = new StringContent(follow, Encoding.UTF8, "application/activity+json"),
        };
        await HttpSignatureSigner.SignRequestAsync(request, new RsaSigningKey(_rsa), $"{Actor(n)}#main-key", HttpSignatureScheme.Cavage12, DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public int CountWith(string activityId) => Received.Values.Count(bag => bag.Any(r => r.Id == activityId));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
