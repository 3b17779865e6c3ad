using System.CommandLine;
using System.Reflection;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Modules.Map.Api;
using Commons.Modules.Map.Cli;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tiles;
using Commons.Platform;
using Commons.Platform.Web;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Map;

/// <summary>
/// The map of the network (C4): the organisation's profile, its offers and needs, and what fits them among what this
/// node was allowed to replicate — matched inside the node, never in a central index. Its member pages: /map (the profile), /map/listings, /map/matches.
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
        services.AddSingleton<MatchIndexCache>();
        services.AddSingleton<MapService>();
        services.AddSingleton<NetworkDirectory>();
        services.AddSingleton((configuration.GetSection(CrawlOptions.SectionName).Get<CrawlOptions>() ?? new CrawlOptions()).Validated());
        services.AddSingleton<DirectoryCrawler>();
        services.AddHostedService<DailyCrawl>();
        services.AddSingleton<MapPages>();
        services.AddSingleton<MapNews>();
        services.AddSingleton<TileSettings>();
        services.AddSingleton<IPageImageSources>(sp => sp.GetRequiredService<TileSettings>());
    }

    public void MapApi(IEndpointRouteBuilder api) => Api.MapApi.Map(api);

    public Assembly? Pages => typeof(MapModule).Assembly;

    public void MapPageEndpoints(IEndpointRouteBuilder pages) => DrawingEndpoints.Map(pages);

    public IReadOnlyList<ModuleLink> Navigation { get; } =
    [
        new("/map", new LocalizedText("Notre profil", "Ons profiel", "Our profile")),
        new("/map/listings", new LocalizedText("Offres et besoins", "Aanbod en vraag", "Offers and needs")),
        new("/map/matches", new LocalizedText("Ce qui correspond", "Wat past", "What fits")),
        new("/map/directory", new LocalizedText("Annuaire du réseau", "Gids van het netwerk", "Directory of the network")),
        new("/map/drawing", new LocalizedText("Carte et liens", "Kaart en verbanden", "Map and links")),
    ];

    /// <summary>Done once the node's profile exists; /map says how to write it.</summary>
    public IReadOnlyList<FirstRunStep> FirstRunSteps { get; } =
    [
        new("map-profile",
            new LocalizedText("Décrire votre organisation sur la carte", "Uw organisatie op de kaart beschrijven", "Describe your organisation on the map"),
            "/map",
            (services, _) => services.GetRequiredService<IModuleStore>().Read("map", ProfileKind.Held) is not null),
    ];

    /// <summary>Matches that arrived through federation since the member last looked at /map/matches (Services/MapNews.cs).</summary>
    public IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Caller caller) =>
        services.GetRequiredService<MapNews>().Items(caller);

    public Command? BuildCommand(Func<ModuleCommandContext> context) => MapCommands.Build(context);
}
