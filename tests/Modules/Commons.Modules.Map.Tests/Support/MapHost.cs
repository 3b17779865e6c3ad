using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Platform;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Modules.Map.Tests.Support;

/// <summary>
/// The module's API and pages served over real HTTP on 127.0.0.1, mounted the way the contract says the host mounts
/// them (API group at /api/map requiring a caller; the module's assembly added to the pages). The host's own pieces
/// it needs are stood in for: the caller comes from an <c>X-Caller</c> header, and domain errors become problem+json
/// with the status the host gives them. The host's conformance suite checks the real ones once the module is registered.
/// </summary>
public sealed class MapHost : IAsyncDisposable
{
    public static readonly Dictionary<string, Caller> Callers = new()
    {
        ["root"] = MapNode.Admin, ["alice"] = MapNode.Alice,
        ["reader"] = MapNode.Alice with { Username = "reader", Scopes = Core.Tokens.TokenScopes.Read },
    };

    private readonly WebApplication _app;
    public Uri Address { get; }

    private MapHost(WebApplication app, Uri address) => (_app, Address) = (app, address);

    public static async Task<MapHost> StartAsync(MapNode node, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddLocalization();
        builder.Services.AddAuthentication(HeaderAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
        builder.Services.AddAuthorization();
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(node.Pages);
        builder.Services.AddSingleton(node.Map);
        builder.Services.AddSingleton<ICallerAccessor, HeaderCallers>();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.Use(Problems);
        app.UseRequestLocalization(o => o.AddSupportedCultures("en", "fr", "nl").AddSupportedUICultures("en", "fr", "nl").SetDefaultCulture("en"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        new MapModule().MapApi(app.MapGroup("/api/map").RequireAuthorization());
        app.MapRazorComponents<MapTestApp>().AddAdditionalAssemblies(new MapModule().Pages!).RequireAuthorization();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MapHost(app, new Uri(address));
    }

    /// <summary>A client that signs in as <paramref name="username"/>.</summary>
    public HttpClient Client(string username, string language = "en")
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };
        client.DefaultRequestHeaders.Add("X-Caller", username);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private static async Task Problems(HttpContext http, RequestDelegate next)
    {
        try { await next(http); }
        catch (CommonsException e)
        {
            http.Response.StatusCode = e switch
            {
                RuleConflictException or ConflictException => 409, RuleViolationException => 422, ValidationException => 400,
                NotFoundException => 404, ForbiddenException => 403, _ => 400,
            };
            await http.Response.WriteAsJsonAsync(new { code = e.Code, title = e.Title, detail = e.Detail }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class HeaderCallers : ICallerAccessor
    {
        public Caller Caller(HttpContext http) => Find(http) ?? throw new ForbiddenException("no caller");
        public Caller? Find(HttpContext http) => Callers.GetValueOrDefault(http.User.Identity?.Name ?? "");
    }

    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "header";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var name = Request.Headers["X-Caller"].ToString();
            if (!Callers.ContainsKey(name)) return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}

/// <summary>The root component: the module's routes in a bare document, as the host's App and Routes render them.</summary>
public sealed class MapTestApp : ComponentBase
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "html");
        builder.OpenElement(1, "body");
        builder.OpenComponent<Router>(2);
        builder.AddAttribute(3, nameof(Router.AppAssembly), typeof(MapModule).Assembly);
        builder.AddAttribute(4, nameof(Router.Found), (RenderFragment<RouteData>)(route => b =>
        {
            b.OpenComponent<RouteView>(0);
            b.AddAttribute(1, nameof(RouteView.RouteData), route);
            b.CloseComponent();
        }));
        builder.CloseComponent();
        builder.CloseElement();
        builder.CloseElement();
    }
}
