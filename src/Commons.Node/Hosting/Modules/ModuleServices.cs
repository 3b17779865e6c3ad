using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Commons.Node.Hosting.Modules;

/// <summary>What the modules add to the node's services, for the web host and the CLI alike.</summary>
public static class ModuleServices
{
    /// <summary>The modules of <see cref="NodeModules.All"/>, the catalog, the kinds registry and the switches.</summary>
    public static IServiceCollection AddNodeModules(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var module in NodeModules.All) services.AddCommonsModule(module, configuration);
        services.TryAddSingleton(sp => new ModuleCatalog(sp.GetServices<ICommonsModule>()));
        services.TryAddSingleton<IDatasetKinds>(sp => sp.GetRequiredService<ModuleCatalog>().Kinds);
        services.TryAddSingleton<ModuleSwitchboard>();
        services.TryAddSingleton<IModuleSwitches>(sp => sp.GetRequiredService<ModuleSwitchboard>());
        services.TryAddSingleton<ModuleAdministration>();
        services.TryAddSingleton<ModuleEndpointSwitches>();
        services.TryAddSingleton<ICallerAccessor, HostCallerAccessor>();
        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => ModulePublicLimits.Add(o, configuration));
        return services;
    }

    /// <summary>
    /// One module: listed for the catalog, and its own services, whether it is on or not (its kinds' rules hold for the
    /// data written while it was on). Tests add a module of their own with it.
    /// </summary>
    public static IServiceCollection AddCommonsModule(this IServiceCollection services, ICommonsModule module, IConfiguration configuration)
    {
        services.AddSingleton(module);
        module.AddServices(services, configuration);
        return services;
    }
}
