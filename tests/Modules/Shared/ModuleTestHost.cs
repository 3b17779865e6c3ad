using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Commons.Modules.Testing;

/// <summary>
/// A module's API and pages served over real HTTP on 127.0.0.1, mounted the way the contract says the host mounts them
/// (API group at /api/{name} requiring a caller; public endpoints at /{name}/public without one; the module's assembly added to the pages). The host's own pieces it
/// needs are stood in for: the caller comes from an <c>X-Caller</c> header naming one of the given callers, and domain
/// errors become problem+json with the status the host gives them. The host's conformance suite checks the real ones
/// once the module is registered. Shared by every module's tests (linked into each test project).
/// </summary>
public sealed class ModuleTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri Address { get; }

    private ModuleTestHost(WebApplication app, Uri address) => (_app, Address) = (app, address);

    public static async Task<ModuleTestHost> StartAsync<TModule>(IReadOnlyDictionary<string, Caller> callers, Action<IServiceCollection> services)
        where TModule : ICommonsModule, new()
    {
        var module = new TModule();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddLocalization();
        builder.Services.AddAuthentication(HeaderAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
        builder.Services.AddAuthorization();
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(new KnownCallers(callers));
        builder.Services.AddSingleton<ICallerAccessor, HeaderCallers>();
        services(builder.Services);
        var app = builder.Build();
        app.Use(Problems);
        app.UseRequestLocalization(o => o.AddSupportedCultures("en", "fr", "nl").AddSupportedUICultures("en", "fr", "nl").SetDefaultCulture("en"));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        module.MapApi(app.MapGroup($"/api/{module.Name}").RequireAuthorization());
        module.MapPublicEndpoints(app.MapGroup($"/{module.Name}/public").AllowAnonymous());
        module.MapPageEndpoints(app.MapGroup($"/{module.Name}").RequireAuthorization());
        if (module.Pages is { } pages) app.MapRazorComponents<ModuleTestApp<TModule>>().AddAdditionalAssemblies(pages).RequireAuthorization();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ModuleTestHost(app, new Uri(address));
    }

    /// <summary>A client that signs in as <paramref name="username"/> and keeps cookies (antiforgery).</summary>
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

    private sealed record KnownCallers(IReadOnlyDictionary<string, Caller> ByName);

    private sealed class HeaderCallers(KnownCallers known) : ICallerAccessor
    {
        public Caller Caller(HttpContext http) => Find(http) ?? throw new ForbiddenException("no caller");
        public Caller? Find(HttpContext http) => known.ByName.GetValueOrDefault(http.User.Identity?.Name ?? "");
    }

    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KnownCallers known)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "header";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var name = Request.Headers["X-Caller"].ToString();
            if (!known.ByName.ContainsKey(name)) return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}

/// <summary>The root component: the module's routes in a bare document, as the host's App and Routes render them.</summary>
public sealed class ModuleTestApp<TModule> : ComponentBase where TModule : ICommonsModule
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "html");
        builder.OpenElement(1, "body");
        builder.OpenComponent<Router>(2);
        builder.AddAttribute(3, nameof(Router.AppAssembly), typeof(TModule).Assembly);
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
