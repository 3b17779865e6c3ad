using Microsoft.Extensions.Options;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>
/// Serves /openapi/{documentName}.json from services of its own, built on the first document request. AddOpenApi's
/// registration alone loads MVC's action model and API explorer (Mvc.Core, Mvc.Abstractions, Mvc.ApiExplorer: ~1.7 MiB
/// resident, and their types) into every node, though most nodes are never asked for the document (issue 17, idle memory).
/// The document is the framework's own (MapOpenApi, built here against these services), so it is written exactly as before;
/// what it reads of the node — its endpoints, which parameters are services, its JSON settings, its environment — is the
/// node's own, handed over below.
/// </summary>
internal sealed class OpenApiDocumentServer(IServiceProvider node) : IDisposable
{
    public const string Route = "/openapi/{documentName}.json";

    private readonly Lock _gate = new();
    private (ServiceProvider Services, RequestDelegate Serve)? _built;

    /// <summary>
    /// Answers a document request. Its services are the node's request services, then the document services' scope for
    /// what the node does not have: the transformers read the node's (record limits, module catalogue) as before.
    /// </summary>
    public async Task Serve(HttpContext http)
    {
        var (services, serve) = Built();
        var nodeScope = http.RequestServices;
        await using var scope = services.CreateAsyncScope();
        http.RequestServices = new NodeThenDocumentServices(nodeScope, scope.ServiceProvider);
        try { await serve(http); }
        finally { http.RequestServices = nodeScope; }
    }

    private (ServiceProvider, RequestDelegate) Built()
    {
        lock (_gate) return _built ??= Build(node);
    }

    private static (ServiceProvider, RequestDelegate) Build(IServiceProvider node)
    {
        var services = new ServiceCollection();
        services.AddSingleton(node.GetRequiredService<IHostEnvironment>());
        services.AddSingleton(node.GetRequiredService<IWebHostEnvironment>());
        services.AddSingleton(node.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(node.GetRequiredService<EndpointDataSource>());
        services.AddSingleton(node.GetRequiredService<ParameterPolicyFactory>());
        services.AddSingleton(node.GetRequiredService<IOptions<RouteHandlerOptions>>());
        services.AddOptions();
        // The schemas are those of the node's API: its JSON settings, configured in the node's order (WebHost.Build).
        // The node's own options object is not shared, since the document services put a resolver of theirs in front.
        services.ConfigureHttpJsonOptions(o => Http.ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddCommonsOpenApi(node.GetRequiredService<IServiceProviderIsService>());
        var built = services.BuildServiceProvider();

        var route = new DocumentRoute(built);
        route.MapOpenApi(Route);
        var endpoint = route.DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().Single();
        return (built, endpoint.RequestDelegate!);
    }

    public void Dispose()
    {
        lock (_gate) _built?.Services.Dispose();
    }

    /// <summary>The one endpoint MapOpenApi adds, built against the document services instead of the node's routing.</summary>
    private sealed class DocumentRoute(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
