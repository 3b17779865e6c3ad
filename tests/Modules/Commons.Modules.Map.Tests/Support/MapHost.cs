using Commons.Core.Access;
using Commons.Modules.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map.Tests.Support;

/// <summary>The map module served over real HTTP (<see cref="ModuleTestHost"/>) with a node's services and its callers.</summary>
public static class MapHost
{
    public static readonly Dictionary<string, Caller> Callers = new()
    {
        ["root"] = MapNode.Admin, ["alice"] = MapNode.Alice,
        ["reader"] = MapNode.Alice with { Username = "reader", Scopes = Core.Tokens.TokenScopes.Read },
    };

    public static Task<ModuleTestHost> StartAsync(MapNode node, Action<IServiceCollection>? services = null) =>
        ModuleTestHost.StartAsync<MapModule>(Callers, s =>
        {
            s.AddSingleton(node.Pages);
            s.AddSingleton(node.Map);
            s.AddSingleton(node.News);
            s.AddSingleton(node.Tiles);
            services?.Invoke(s);
        });
}
