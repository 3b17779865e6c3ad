using System.Net;
using Commons.Federation.Signatures.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Commons.Bench;

/// <summary>A Kestrel server on 127.0.0.1 and a free port, for the federation benchmarks (sink inboxes, an actor document).</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>e.g. <c>http://127.0.0.1:40123/</c></summary>
    public Uri BaseUri { get; }

    public string Url(string path) => new Uri(BaseUri, path).ToString();

    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The request as its sender signed it (authority from the Host header), for a verifier.</summary>
    public static async Task<SignableHttpMessage> ToSignableAsync(HttpRequest request)
    {
        var headers = new HttpHeaderMultiMap();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null) headers.Add(name, value);
            }
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var uri = new Uri($"{request.Scheme}://{request.Host.Value}{request.Path.Value}{request.QueryString.Value}");
        return SignableHttpMessage.ForRequest(request.Method, uri, headers, body.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
