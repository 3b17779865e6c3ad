using System.Collections.Concurrent;
using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Federation.Signatures.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Commons.Modules.Committee.Tests.Support;

/// <summary>
/// The committee's nodes talking over real HTTP on 127.0.0.1: each node's actors publish their Ed25519 public key
/// (<c>/nodes/{node}/actor</c>, <c>/nodes/{node}/datasets/{slug}</c>) and each dataset has an inbox that takes a
/// signed request activity as §11 of spec/federation.md shapes it, checks its FEP-8b32 proof against the sending
/// actor's published key (refused 401 otherwise, as the platform refuses it), and hands it to the module's handler
/// with the signed original. HTTP signatures, delivery queues and retries are the federation's and its own tests';
/// what is tested here is the module over real signatures, real HTTP and real stores.
/// </summary>
public sealed class CommitteeNetwork : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Ed25519SigningKey> _keys = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, CommitteeNode> Nodes { get; } = new(StringComparer.Ordinal);
    public Uri Base { get; }
    public HttpClient Http { get; }

    private CommitteeNetwork(WebApplication app, Uri address)
    {
        _app = app;
        Base = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public string NodeActor(string node) => new Uri(Base, $"nodes/{node}/actor").ToString();
    public string DatasetActor(string node, string slug) => new Uri(Base, $"nodes/{node}/datasets/{slug}").ToString();
    public Ed25519SigningKey KeyOf(string actor) => _keys.GetOrAdd(actor, _ => Ed25519SigningKey.Generate());

    public static async Task<CommitteeNetwork> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        CommitteeNetwork? network = null;
        app.MapGet("/nodes/{node}/actor", (HttpContext http) => network!.Actor(http));
        app.MapGet("/nodes/{node}/datasets/{slug}", (HttpContext http) => network!.Actor(http));
        app.MapPost("/nodes/{node}/datasets/{slug}/inbox", (HttpContext http, string node, string slug) => network!.InboxAsync(http, node, slug));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        network = new CommitteeNetwork(app, new Uri(address + "/"));
        return network;
    }

    private IResult Actor(HttpContext http)
    {
        var id = new Uri(Base, http.Request.Path.Value!.TrimStart('/')).ToString();
        return _keys.TryGetValue(id, out var key)
            ? Results.Json(new TestProofs.ActorKey(id, Convert.ToBase64String(key.PublicKey.ExportRawPublicKey())))
            : Results.NotFound();
    }

    private async Task<IResult> InboxAsync(HttpContext http, string node, string slug)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync();
        using var doc = JsonDocument.Parse(text);
        var activity = doc.RootElement;
        if (!Nodes.TryGetValue(node, out var target) || target.DatasetStore.Find(slug) is not { } dataset) return Results.NotFound();
        var actor = activity.GetProperty("actor").GetString()!;
        var check = await target.Proofs.VerifyAsync(activity, actor, http.RequestAborted);
        if (!check.Valid) return Results.Json(new Answer("refused", "bad_signature", check.Failure), statusCode: 401);
        var request = activity.GetProperty("object");
        var type = request.GetProperty("commons:requestType").GetString()!;
        var handler = target.Handlers.SingleOrDefault(h => h.Kind == dataset.Kind && h.RequestType == type);
        if (handler is null) return Results.Json(new Answer("refused", "request_unsupported", type));
        var incoming = new IncomingRequest(dataset, activity.GetProperty("id").GetString()!, type, actor, new Uri(actor).Authority,
            request.GetProperty("commons:data").Clone(), target.Clock.GetUtcNow()) { SignedJson = text };
        RequestDecision decision;
        try { decision = await handler.DecideAsync(incoming, http.RequestAborted); }
        catch (Core.Errors.CommonsException e) { decision = RequestDecision.Refuse(e.Code, e.Detail); }
        return Results.Json(new Answer(decision.State.ToString().ToLowerInvariant(), decision.Code, decision.Detail));
    }

    /// <summary>What the inbox answers: the decision's state, a refusal's code and words.</summary>
    public sealed record Answer(string State, string? Code, string? Detail);

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes.Values) n.Dispose();
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
