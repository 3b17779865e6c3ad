using System.CommandLine;
using System.Reflection;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Modules.Map.Api;
using Commons.Modules.Map.Cli;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map;

/// <summary>
/// The map of the network (C4): the organisation's profile, its offers and needs, and what fits them among what this
/// node was allowed to replicate — matched inside the node, never in a central index. Pages come later.
/// </summary>
public sealed class MapModule : ICommonsModule
{
    public string Name => "map";
    public LocalizedText Title => new("Carte du réseau", "Kaart van het netwerk", "Map of the network");
    public LocalizedText Description => new(
        "Le profil de l’organisation, ses offres et ses besoins, et ce qui y répond parmi ce que les autres nœuds partagent avec nous.",
        "Het profiel van de organisatie, haar aanbod en vraag, en wat erop past in wat andere knooppunten met ons delen.",
        "The organisation's profile, its offers and needs, and what fits them among what other nodes share with us.");

    public IReadOnlyList<DatasetKind> Kinds { get; } = [new ProfileKind(), new OffersKind()];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<MapDirectory>();
        services.AddSingleton<MapService>();
        services.AddSingleton<NetworkDirectory>();
    }

    public void MapApi(IEndpointRouteBuilder api) => Api.MapApi.Map(api);

    public Assembly? Pages => typeof(MapModule).Assembly;

    public void MapPageEndpoints(IEndpointRouteBuilder pages) => DrawingEndpoints.Map(pages);

    public IReadOnlyList<ModuleLink> Navigation { get; } = [];

    public Command? BuildCommand(Func<ModuleCommandContext> context) => MapCommands.Build(context);
}
