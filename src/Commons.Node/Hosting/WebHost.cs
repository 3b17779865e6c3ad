using Commons.Core.Errors;
using Commons.Core.Store;
using Commons.Node.Api;
using Commons.Node.Auth;
using Commons.Node.Cli;
using Commons.Node.Federation;
using Commons.Node.Http;
using Commons.Node.Hosting.Modules;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Web;
using Commons.Node.Web.Members;
using Commons.Node.Web.Admin;
using Commons.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Commons.Node.Hosting;

/// <summary>Builds and runs the node's web host: the member API, health probes, OpenAPI and the admin socket.</summary>
public static class WebHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        var builder = NodeHostBuilder.Create(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Default(args) });
        var options = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        // Settings the node cannot start with are one line now, not a failure on the first request.
        PublicAddress.Resolve(options, builder.Configuration);
        var proxies = ProxyHeaders.From(builder.Configuration);

        var urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : DefaultUrl;
        if (options.AdminSocket)
            urls += ";http://unix:" + AdminSocket.PrepareSocketPath(options.DataDirectory);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
            RequestSizeLimits.SetKestrelCeilings(k.Limits);
            k.ConfigureEndpointDefaults(KestrelErrorBodies.Watch);
        });

        builder.Services.AddCommons(builder.Configuration);
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<SignInCheck>();
        builder.Services.AddSingleton<FirstRunSetup>();
        builder.Services.AddSingleton<Web.FirstRun.FirstRunList>();
        builder.Services.AddHostedService<NodeStartup>();
        builder.Services.AddSingleton<StartupCompaction>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StartupCompaction>());
        builder.Services.AddFederation(builder.Configuration);
        builder.Services.AddFederationRateLimits(builder.Configuration);
        builder.Services.AddSingleton<SignedFetchAuthorizer>();
        builder.Services.AddHostedService<FederationWorkers>();
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        // Errors the framework writes itself get a detail and a code too.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.Complete);
        builder.Services.AddExceptionHandler<ProblemMapping>();
        // A value that does not bind (`limit=abc`) is a problem naming the parameter in every environment; the framework
        // throws it only in Development and elsewhere answers a bare 400 whose problem cannot say what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton<OpenApiDocumentServer>();
        AddAuthentication(builder.Services);
        builder.Services.AddWebUi();
        builder.Services.AddResponseHardening();
        builder.Services.AddNodeDataProtection(options);

        var app = builder.Build();
        var modules = app.Services.GetRequiredService<ModuleCatalog>();
        // Routing is placed here, not left first by default, so that a module switched on or off is routed as it now is.
        app.UseModuleEndpointSwitches();
        app.UseRouting();
        app.UseKestrelErrorBodies();
        app.UseRequestSizeLimits();
        if (proxies is not null) app.UseForwardedHeaders(proxies);
        app.UseResponseHardening();
        app.UseCookieNames();
        app.UseExceptionHandler();
        app.UseNotFoundPages();
        app.UseModuleSwitches();
        app.UseFirstRunSetupGate();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapGet("/healthz", () => new HealthStatus("alive")).WithTags("Health").AllowAnonymous();
        app.MapGet("/readyz", (IStoreReadiness store) => ReadinessProbe.Check(store)).WithTags("Health").AllowAnonymous().Produces<HealthStatus>().ProducesProblem(503);
        app.MapGet(OpenApiDocumentServer.Route, http => http.RequestServices.GetRequiredService<OpenApiDocumentServer>().Serve(http))
            .AllowAnonymous().ExcludeFromDescription();

        var api = app.MapGroup("/api");
        AuthEndpoints.Map(api);
        var members = api.MapGroup("").RequireAuthorization();
        MemberEndpoints.Map(members);
        TokenEndpoints.Map(members);
        DatasetEndpoints.Map(members);
        RecordEndpoints.Map(members);
        RecordBatchEndpoints.Map(members);
        FederationApiEndpoints.Map(members);
        ExchangeApiEndpoints.Map(members);
        AdminApiEndpoints.Map(members);
        ModuleAdminEndpoints.Map(members);
        NodeAdminEndpoints.Map(members);
        ModuleEndpoints.MapModuleApis(members, modules);
        ModuleEndpoints.MapModulePublicEndpoints(app, modules);
        SchemaEndpoints.Map(app);
        FederationEndpoints.Map(app.MapGroup("").AddEndpointFilter(FederationGate.Filter));

        app.MapPost("/_admin/cli", (Delegate)AdminSocket.Handle)
            .AddEndpointFilter(async (ctx, next) =>
                // Kestrel gives Unix-socket connections no IP addresses; every TCP connection has both.
                options.AdminSocket && ctx.HttpContext.Connection is { LocalIpAddress: null, RemoteIpAddress: null }
                    ? await next(ctx)
                    : Results.NotFound())
            .ExcludeFromDescription();
        app.UseWebUi(modules);
        app.UseAdminPages();
        return app;
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(AuthSchemes.Api)
            .AddPolicyScheme(AuthSchemes.Api, "Access token or JWT", o => o.ForwardDefaultSelector = http => ApiScheme(http.Request))
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(AuthSchemes.AccessToken, null)
            .AddJwtBearer(AuthSchemes.Jwt, o =>
            {
                o.MapInboundClaims = false;
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = ctx =>
                    {
                        // A token stops working once its member is disabled or their password or role changes.
                        var username = ctx.Principal?.FindFirst(ClaimNames.Subject)?.Value;
                        var stamp = ctx.Principal?.FindFirst(ClaimNames.Stamp)?.Value;
                        var member = username is null ? null : ctx.HttpContext.RequestServices.GetRequiredService<Core.Members.IMemberStore>().Find(username);
                        if (member is null || member.Disabled || member.SecurityStamp != stamp) ctx.Fail("the member is disabled or signed out");
                        return Task.CompletedTask;
                    },
                };
            });
        services.AddOptions<JwtBearerOptions>(AuthSchemes.Jwt).Configure<AccessTokenIssuer, TimeProvider>((o, issuer, clock) =>
        {
            // Expiry is judged by the node's clock, the one that issued the token.
            o.TimeProvider = clock;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = ClaimNames.Issuer,
                ValidAudience = ClaimNames.Audience,
                IssuerSigningKey = issuer.SigningKey,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = ClaimNames.Subject,
            };
        });
        services.AddAuthorization();
    }

    /// <summary>
    /// Which handler reads an API request: a JWT only when a bearer token that is not a personal access token is sent.
    /// A request with no token (a health probe, a page, a peer) goes to the access-token handler, which answers "no
    /// result" as the JWT handler did, without loading the JWT stack (Microsoft.IdentityModel, ~10 MiB resident once
    /// initialised: bench/README.md, issue 17 memory). Its challenge says <c>WWW-Authenticate: Bearer</c> like the JWT one.
    /// </summary>
    internal static string ApiScheme(HttpRequest request) =>
        AccessTokenAuthenticationHandler.BearerToken(request) is { } token && !token.StartsWith(Core.Tokens.TokenSecrets.AccessPrefix + "_", StringComparison.Ordinal)
            ? AuthSchemes.Jwt
            : AuthSchemes.AccessToken;

    /// <summary>Builds the host and serves until stopped; a store in use by another process, or a setting it cannot start with, is one clear line and exit code 1.</summary>
    public static int Serve(string[] args)
    {
        try
        {
            var app = Build(args);
            // Open the store before the host starts, so a folder in use is one clear line, not a host failure.
            app.Services.GetRequiredService<IStoreReadiness>().Open();
            app.Run();
            return 0;
        }
        catch (Exception e) when (e is StoreInUseException or StoreTooNewException or NodeConfigurationException)
        {
            Console.Error.WriteLine(e is CommonsException c ? $"error: {c.Detail} [{c.Code}]" : $"error: {e.Message}");
            return 1;
        }
    }
}

/// <summary>Before the node listens: open the store, create the node on first start, and say once how to sign in or set it up.</summary>
internal sealed class NodeStartup(IServiceProvider services, IOptions<NodeOptions> options, IConfiguration configuration, ILogger<NodeStartup> log) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken ct)
    {
        services.GetRequiredService<IStoreReadiness>().Open();
        if (services.GetRequiredService<FederationGate>().ClosedBecause is { } closed)
            log.LogWarning("FEDERATION IS OFF: {Reason}. Until then peers get 503 and nothing is sent; the members' API and pages work", closed);
        var o = options.Value;
        var outcome = services.GetRequiredService<NodeBootstrap>().EnsureServing(o.NodeName, o.InitialAdminPassword);
        var url = configuration["urls"]?.Split(';').FirstOrDefault(u => !u.Contains("unix:"));
        if (outcome.SetupPending)
        {
            // No administrator and no configured password: a one-time link to the setup page, on stdout only.
            var setup = services.GetRequiredService<FirstRunSetup>();
            var link = $"{FederationServices.PublicUrl(o, configuration)}{SetupGate.Path}?code={setup.Open()}";
            NodeBootstrap.Announce(outcome, Console.Out, url, link, setup.CodeFile);
        }
        else NodeBootstrap.Announce(outcome, Console.Out, url);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken ct)
    {
        AdminSocket.Restrict(options.Value);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}

public sealed record HealthStatus(string Status);

internal static class ReadinessProbe
{
    public static IResult Check(IStoreReadiness store) => store.CanWrite(out var problem)
        ? Results.Ok(new HealthStatus("ready"))
        : Results.Problem(statusCode: 503, title: "Not ready", detail: problem);
}
