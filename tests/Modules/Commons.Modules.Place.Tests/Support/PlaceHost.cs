using Commons.Core.Access;
using Commons.Modules.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>The place module served over real HTTP (<see cref="ModuleTestHost"/>) with a node's services and its callers.</summary>
public static class PlaceHost
{
    public static readonly Dictionary<string, Caller> Callers = new()
    {
        ["root"] = PlaceNode.Admin, ["alice"] = PlaceNode.Alice, ["bob"] = PlaceNode.Bob,
        ["reader"] = PlaceNode.Alice with { Username = "reader", Scopes = Core.Tokens.TokenScopes.Read },
    };

    public static Task<ModuleTestHost> StartAsync(PlaceNode node) =>
        ModuleTestHost.StartAsync<PlaceModule>(Callers, s => s.AddSingleton(node.Place).AddSingleton(node.Approvals).AddSingleton(node.Remote)
            .AddSingleton(new Services.PlaceQuotaGovernance(node.Directory, node.Datasets, node.Records, node.RecordStore, [])));
}
