using System.CommandLine;
using System.Reflection;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Records;
using Commons.Modules.Place.Api;
using Commons.Modules.Place.Cli;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Requests;
using Commons.Modules.Place.Services;
using Commons.Modules.Place.Views;
using Commons.Platform;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Place;

/// <summary>
/// The shared place (C5): rooms and movable items a collective lends, booked by its members and by the nodes that
/// follow its resources, never twice for the same time.
/// </summary>
public sealed class PlaceModule : ICommonsModule
{
    public string Name => PlaceIndex.Module;
    public LocalizedText Title => new("Lieu partagé", "Gedeelde plek", "Shared place");
    public LocalizedText Description => new(
        "Salles et matériel à réserver, par les membres et par les nœuds qui suivent les ressources ; jamais deux fois au même moment.",
        "Zalen en materiaal om te reserveren, door leden en door de knooppunten die de middelen volgen; nooit twee keer tegelijk.",
        "Rooms and equipment to book, by members and by the nodes that follow the resources; never twice at the same time.");

    public IReadOnlyList<DatasetKind> Kinds { get; } = [new ResourcesKind(), new BookingsKind()];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PlaceDirectory>();
        services.AddSingleton<PlaceService>();
        services.AddSingleton<PlaceQuotaGovernance>();
        services.AddSingleton<ApprovalService>();
        // The credit module's ICreditPayments, when it is there: IEnumerable keeps the place working without it.
        services.AddSingleton<Payments.PlaceBilling>();
        services.AddSingleton<RemotePlaces>();
        services.AddSingleton<PeerAdmission>();
        services.AddSingleton<IDatasetView, SlotsView>();
        services.AddSingleton<IDatasetView, MineView>();
        services.AddSingleton<IDatasetView, UsageView>();
        services.AddSingleton<Calendar.CalendarFeeds>();
        services.AddSingleton<Usage.UsageReport>();
        services.AddSingleton<Usage.ElsewhereUsage>();
        services.AddSingleton<IRequestHandler, BookRequestHandler>();
        services.AddSingleton<IRequestHandler, CancelRequestHandler>();
    }

    public void MapApi(IEndpointRouteBuilder api)
    {
        PlaceApi.Map(api);
        CalendarApi.Map(api);
        UsageApi.Map(api);
    }

    public void MapPageEndpoints(IEndpointRouteBuilder pages) => UsageApi.MapDownload(pages);

    public void MapPublicEndpoints(IEndpointRouteBuilder anonymous) => CalendarApi.MapPublic(anonymous);

    public Assembly? Pages => typeof(PlaceModule).Assembly;

    public IReadOnlyList<ModuleLink> Navigation { get; } =
    [
        new("/place", new LocalizedText("Lieu partagé", "Gedeelde plek", "Shared place")),
        new("/place/usage", new LocalizedText("Utilisation du lieu", "Gebruik van de plek", "Usage of the place")),
        new("/place/calendars", new LocalizedText("Liens d’agenda", "Agendalinks", "Calendar links")),
    ];

    public Command? BuildCommand(Func<ModuleCommandContext> context) => PlaceCommands.Build(context);

    /// <summary>Done once a dataset of resources holds a room or an item; /place says how to add one.</summary>
    public IReadOnlyList<FirstRunStep> FirstRunSteps { get; } =
    [
        new("first-resource",
            new LocalizedText("Ajouter une première salle ou du matériel à réserver", "Een eerste zaal of materiaal om te reserveren toevoegen", "Add a first room or equipment to book"),
            "/place",
            (services, _) => services.GetRequiredService<PlaceDirectory>().ResourceDatasets().Any(d => services.GetRequiredService<IRecordStore>().Count(d.Key) > 0)),
    ];

    public IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Caller caller) => PlaceNews.For(services, caller);
}
