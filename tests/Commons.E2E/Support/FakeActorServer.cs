using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Commons.E2E.Support;

/// <summary>A remote actor with its own RSA key, served by <see cref="FakeActorServer"/>.</summary>
public sealed class FakeActor(string baseUrl, string name)
{
    public string Name { get; } = name;
    public string Id { get; } = $"{baseUrl}/users/{name}";
    public string KeyId => $"{Id}#main-key";
    public string Inbox => $"{Id}/inbox";
    public RsaSigningKey Key { get; } = new(RSA.Create(2048));

    public JsonObject Document() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = Id,
        ["type"] = "Person",
        ["preferredUsername"] = Name,
        ["inbox"] = Inbox,
        ["publicKey"] = new JsonObject { ["id"] = KeyId, ["owner"] = Id, ["publicKeyPem"] = Key.ExportPublicKeyPem() },
    };

    /// <summary>A POST of <paramref name="body"/> to <paramref name="inbox"/>, signed with this actor's key.</summary>
    public async Task<HttpRequestMessage> SignedPostAsync(Uri inbox, string body, HttpSignatureScheme scheme = HttpSignatureScheme.Rfc9421, DateTimeOffset? at = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new("application/activity+json");
        await HttpSignatureSigner.SignRequestAsync(request, Key, KeyId, scheme, at ?? DateTimeOffset.UtcNow);
        return request;
    }

    /// <summary>A GET signed with this actor's key.</summary>
    public HttpRequestMessage SignedGet(Uri target, HttpSignatureScheme scheme = HttpSignatureScheme.Rfc9421)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("Accept", "application/activity+json");
        HttpSignatureSigner.SignRequest(request, Key, KeyId, scheme, DateTimeOffset.UtcNow);
        return request;
    }
}

/// <summary>
/// A tiny ActivityPub server on 127.0.0.1: serves the actor documents of its <see cref="FakeActor"/>s (signed fetches
/// are answered without checking) and records what is posted to their inboxes (202).
/// </summary>
public sealed class FakeActorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeActor> _actors = new();

    public string Url { get; }
    public ConcurrentQueue<(string Actor, JsonObject Activity)> Received { get; } = new();

    private FakeActorServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<FakeActorServer> StartAsync()
    {
        var url = $"http://127.0.0.1:{TestNode.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeActorServer(app, url);
        app.MapGet("/users/{name}", (string name) => server._actors.TryGetValue(name, out var actor)
            ? Results.Text(actor.Document().ToJsonString(), "application/activity+json")
            : Results.NotFound());
        app.MapPost("/users/{name}/inbox", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            if (JsonNode.Parse(body) is JsonObject activity) server.Received.Enqueue((name, activity));
            return Results.StatusCode(202);
        });
        await app.StartAsync();
        return server;
    }

    public FakeActor Actor(string name) => _actors.GetOrAdd(name, n => new FakeActor(Url, n));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
