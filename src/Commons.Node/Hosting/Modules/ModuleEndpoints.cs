using System.Reflection;
using Commons.Core.Modules;
using Commons.Platform;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Commons.Node.Hosting.Modules;

/// <summary>Endpoint metadata: the endpoint is the module's (its API or a page), and answers only while it is on.</summary>
public sealed record ModuleEndpoint(string Module);

/// <summary>
/// Mounts the modules: each module's API on <c>/api/{name}</c> under the member group, its pages beside the node's,
/// and one gate in front of both. A module that is off answers as a path that does not exist: 404, a problem document on
/// the API, the node's not-found answer for a page. Its API and endpoints are in routing only while it is on
/// (<see cref="SwitchedModuleEndpoints"/>: switching needs no restart); its pages stay mapped and the gate hides them.
/// </summary>
public static class ModuleEndpoints
{
    public static void MapModuleApis(IEndpointRouteBuilder members, ModuleCatalog catalog)
    {
        foreach (var module in catalog.Modules)
        {
            var group = members.MapGroup("/" + module.Name).WithTags(module.Title.En ?? module.Name).WithMetadata(new ModuleEndpoint(module.Name));
            SwitchedModuleEndpoints.Add(group, module.Name, module.MapApi);
        }
    }

    /// <summary>Each module's endpoints beside its pages (images, downloads) on <c>/{name}</c>, behind the browser sign-in and the switch.</summary>
    public static void MapModulePageEndpoints(IEndpointRouteBuilder app, ModuleCatalog catalog, string policy)
    {
        foreach (var module in catalog.Modules)
            SwitchedModuleEndpoints.Add(app.MapGroup("/" + module.Name).RequireAuthorization(policy).WithMetadata(new ModuleEndpoint(module.Name))
                .ExcludeFromDescription(), module.Name, module.MapPageEndpoints);
    }

    /// <summary>
    /// Each module's public endpoints on <c>/{name}/public</c>: no sign-in, no cookie, rate-limited per address, behind
    /// the switch like the rest of the module; out of the OpenAPI document, which describes the member API.
    /// </summary>
    public static void MapModulePublicEndpoints(IEndpointRouteBuilder app, ModuleCatalog catalog)
    {
        foreach (var module in catalog.Modules)
            SwitchedModuleEndpoints.Add(app.MapGroup($"/{module.Name}/public").AllowAnonymous().RequireRateLimiting(ModulePublicLimits.Policy)
                .WithMetadata(new ModuleEndpoint(module.Name)).ExcludeFromDescription(), module.Name, module.MapPublicEndpoints);
    }

    /// <summary>The assemblies of the modules' pages, for the router and the component endpoints.</summary>
    public static Assembly[] PageAssemblies(ModuleCatalog catalog) =>
        catalog.Modules.Select(m => m.Pages).OfType<Assembly>().Where(a => a != typeof(ModuleEndpoints).Assembly).Distinct().ToArray();

    /// <summary>Marks each page endpoint of a module's assembly with its module; a page outside <c>/{name}</c> stops the start.</summary>
    public static void MarkModulePages(RazorComponentsEndpointConventionBuilder pages, ModuleCatalog catalog)
    {
        var byAssembly = catalog.Modules.Where(m => m.Pages is not null).GroupBy(m => m.Pages!)
            .ToDictionary(g => g.Key, g => g.Single());
        pages.Add(endpoint =>
        {
            var type = endpoint.Metadata.OfType<ComponentTypeMetadata>().FirstOrDefault()?.Type;
            if (type is null || !byAssembly.TryGetValue(type.Assembly, out var module)) return;
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            if (route.Trim('/') != module.Name && !route.TrimStart('/').StartsWith(module.Name + "/", StringComparison.Ordinal))
                throw new InvalidOperationException($"page {type.Name} of module '{module.Name}' is at '{route}', not under /{module.Name}");
            endpoint.Metadata.Add(new ModuleEndpoint(module.Name));
        });
    }

    /// <summary>Before routing: each module's endpoints are added or removed as its switch now says.</summary>
    public static IApplicationBuilder UseModuleEndpointSwitches(this IApplicationBuilder app)
    {
        var switches = app.ApplicationServices.GetRequiredService<ModuleEndpointSwitches>();
        return app.Use((http, next) =>
        {
            switches.FollowSwitches();
            return next(http);
        });
    }

    /// <summary>Right after routing: a module endpoint of a module that is off is no endpoint at all.</summary>
    public static IApplicationBuilder UseModuleSwitches(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<ModuleEndpoint>() is { } owner
            && !http.RequestServices.GetRequiredService<IModuleSwitches>().IsOn(owner.Module))
            http.SetEndpoint(null);
        await next();
    });
}
