using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Commons.Core.Members;
using Commons.Node.Auth;
using Commons.Node.Hosting.Modules;
using Commons.Node.Web.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing.Matching;

namespace Commons.Node.Web;

/// <summary>
/// The browser interface: Razor Components rendered on the server (no interactivity, no script), signed in with a
/// cookie scheme of its own that the member API under /api never accepts, every form protected by antiforgery,
/// every string localised (en, fr, nl) and every HTML response sent with a strict Content-Security-Policy.
/// </summary>
public static class WebUi
{
    public const string Scheme = "CommonsUi";
    public const string Policy = "CommonsUi";
    public const string CookieName = Http.CookieNames.SignIn;
    public const string LanguageCookie = Http.CookieNames.Language;
    public static readonly string[] Languages = ["en", "fr", "nl"];

    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>
    /// <see cref="ContentSecurityPolicy"/> with the image origins the modules that are on name (an administrator's tile
    /// server for the map, <see cref="Platform.Web.IPageImageSources"/>) added to <c>img-src</c>; unchanged without any.
    /// </summary>
    public static string ContentSecurityPolicyWithModuleImages(IServiceProvider services)
    {
        var switches = services.GetService<Core.Modules.IModuleSwitches>();
        var origins = services.GetServices<Platform.Web.IPageImageSources>()
            .Where(s => switches?.IsOn(s.Module) != false)
            .SelectMany(s => s.Origins).Select(Platform.Web.PageImageOrigins.Origin).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return origins.Count == 0
            ? ContentSecurityPolicy
            : ContentSecurityPolicy.Replace("img-src 'self' data:;", $"img-src 'self' data: {string.Join(' ', origins)};", StringComparison.Ordinal);
    }

    public static IServiceCollection AddWebUi(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // Pages in French and Dutch stay readable: letters are written as they are, markup characters still escaped.
        services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddLocalization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = Http.CookieNames.Antiforgery;
            o.Cookie.Path = "/";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = "/";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
            o.Events.OnValidatePrincipal = ctx =>
            {
                // Like the API's tokens: a disabled member, or a password or role change, ends every browser session.
                var username = ctx.Principal?.FindFirst(ClaimNames.Subject)?.Value;
                var stamp = ctx.Principal?.FindFirst(ClaimNames.Stamp)?.Value;
                var member = username is null ? null : ctx.HttpContext.RequestServices.GetRequiredService<IMemberStore>().Find(username);
                if (member is null || member.Disabled || member.SecurityStamp != stamp) ctx.RejectPrincipal();
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddSingleton<MatcherPolicy, HtmlOrActivityMatcherPolicy>();
        return services;
    }

    /// <summary>The principal a browser session carries: the member, their security stamp and full scopes (a sign-in grants all, as on the API).</summary>
    public static ClaimsPrincipal Principal(Member member)
    {
        var scopes = member.IsAdmin ? "read write admin" : "read write";
        var identity = new ClaimsIdentity(
            [new Claim(ClaimNames.Subject, member.Username), new Claim(ClaimNames.Stamp, member.SecurityStamp), new Claim(ClaimNames.Scope, scopes)],
            Scheme, ClaimNames.Subject, null);
        return new ClaimsPrincipal(identity);
    }

    public static bool IsUiRequest(HttpContext http) =>
        !http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/_admin");

    /// <summary>A browser asking for a page: HTML accepted, and neither ActivityPub JSON nor JSON-LD (which peers send).</summary>
    public static bool WantsHtml(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) && !accept.Contains("activity+json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("ld+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Middleware and endpoints of the interface; called after authentication and authorization.</summary>
    public static WebApplication UseWebUi(this WebApplication app, Platform.ModuleCatalog modules)
    {
        app.UseWhen(IsUiRequest, ui =>
        {
            ui.Use(async (http, next) =>
            {
                // Outside /api the browser cookie is the only credential: a bearer token never signs a page in.
                var result = await http.AuthenticateAsync(Scheme);
                http.User = result.Succeeded ? result.Principal! : new ClaimsPrincipal(new ClaimsIdentity());
                http.Response.OnStarting(() =>
                {
                    // nosniff is on every response already (SecurityHeaders).
                    if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                    {
                        var h = http.Response.Headers;
                        h.ContentSecurityPolicy = ContentSecurityPolicyWithModuleImages(http.RequestServices);
                        h.XFrameOptions = "DENY";
                        h["Referrer-Policy"] = "same-origin";
                    }
                    return Task.CompletedTask;
                });
                await next();
            });
            ui.UseRequestLocalization(o =>
            {
                var cultures = Languages.Select(CultureInfo.GetCultureInfo).ToList();
                o.DefaultRequestCulture = new RequestCulture("en");
                o.SupportedCultures = cultures;
                o.SupportedUICultures = cultures;
                o.FallBackToParentCultures = true;
                o.FallBackToParentUICultures = true;
                o.RequestCultureProviders =
                [
                    new CustomRequestCultureProvider(Members.MemberLanguage.OfSignedInMember),
                    new CustomRequestCultureProvider(http =>
                        Task.FromResult(http.Request.Cookies[LanguageCookie] is { } lang && Languages.Contains(lang)
                            ? new ProviderCultureResult(lang)
                            : null)),
                    new AcceptLanguageHeaderRequestCultureProvider(),
                ];
            });
            ui.UseStaticFiles();
        });
        app.UseAntiforgery();

        app.MapPost("/ui/language", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            var form = await http.Request.ReadFormAsync();
            var lang = form["lang"].ToString();
            if (!Languages.Contains(lang)) return Results.BadRequest();
            http.Response.Cookies.Append(LanguageCookie, lang, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                Path = "/",
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
            Members.MemberLanguage.Remember(http, lang);
            return Results.LocalRedirect(LocalOrRoot(form["returnUrl"].ToString()));
        }).DisableAntiforgery().ExcludeFromDescription();

        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            await http.SignOutAsync(Scheme);
            return Results.LocalRedirect("/signin");
        }).DisableAntiforgery().ExcludeFromDescription();

        Federation.ReplicaDownload.Map(app);
        ModuleEndpoints.MapModulePageEndpoints(app, modules, Policy);

        var pages = app.MapRazorComponents<App>()
            .AddAdditionalAssemblies(ModuleEndpoints.PageAssemblies(modules));
        pages.RequireAuthorization(Policy)
            .Add(b => b.Metadata.Add(UiPageMetadata.Instance));
        ModuleEndpoints.MarkModulePages(pages, modules);
        return app;
    }

    /// <summary>A local path to go back to, or the dashboard: never another site.</summary>
    public static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}

/// <summary>Marks the interface's pages, so that a URL they share with federation can be told apart.</summary>
public sealed class UiPageMetadata
{
    public static readonly UiPageMetadata Instance = new();
}

/// <summary>
/// A dataset's URL (<c>/datasets/{slug}</c>) is both its ActivityPub actor and its page: a browser asking for HTML gets
/// the page, everything else (activity+json, no Accept) gets the actor exactly as before.
/// </summary>
internal sealed class HtmlOrActivityMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<UiPageMetadata>() is not null) &&
        endpoints.Any(e => e.Metadata.GetMetadata<UiPageMetadata>() is null);

    public Task ApplyAsync(HttpContext http, CandidateSet candidates)
    {
        var ui = new List<int>();
        var other = new List<int>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            (candidates[i].Endpoint.Metadata.GetMetadata<UiPageMetadata>() is null ? other : ui).Add(i);
        }
        if (ui.Count == 0 || other.Count == 0) return Task.CompletedTask;
        foreach (var i in WebUi.WantsHtml(http.Request) ? other : ui) candidates.SetValidity(i, false);
        return Task.CompletedTask;
    }
}
