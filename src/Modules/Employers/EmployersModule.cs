using System.CommandLine;
using System.Reflection;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Modules.Employers.Api;
using Commons.Modules.Employers.Cli;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Pages;
using Commons.Modules.Employers.Requests;
using Commons.Modules.Employers.Services;
using Commons.Modules.Employers.Views;
using Commons.Platform;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Employers;

/// <summary>
/// The employers' group (C6): organisations that employ staff together. The coordinating node keeps the workers,
/// their assignments, the hours the members send, and closes each month into a split of every worker's cost to the
/// cent, with statements signed by the node's key.
/// </summary>
public sealed class EmployersModule : ICommonsModule
{
    public string Name => GroupIndex.Module;
    public LocalizedText Title => new("Groupement d’employeurs", "Werkgeversgroepering", "Employers’ group");
    public LocalizedText Description => new(
        "Du personnel partagé entre organisations : heures par membre, coût réparti au centime, relevés signés.",
        "Personeel dat organisaties delen: uren per lid, kosten tot op de cent verdeeld, ondertekende overzichten.",
        "Staff shared by organisations: hours per member, cost split to the cent, signed statements.");

    public IReadOnlyList<DatasetKind> Kinds { get; } = [new GroupKind(), new WorkersKind(), new AssignmentsKind(), new HoursKind()];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EmployersService>();
        services.AddSingleton<IRequestHandler, HoursRequestHandler>();
        services.AddSingleton<MemberGroups>();
        services.AddSingleton<IDatasetView, MembershipView>();
        services.AddSingleton<IDatasetView>(sp => new StatementView(sp.GetRequiredService<EmployersService>(), sp.GetRequiredService<IObjectProofs>(), summary: false));
        services.AddSingleton<IDatasetView>(sp => new StatementView(sp.GetRequiredService<EmployersService>(), sp.GetRequiredService<IObjectProofs>(), summary: true));
        services.AddSingleton<GroupDesk>();
    }

    public void MapApi(IEndpointRouteBuilder api)
    {
        EmployersApi.Map(api);
        MembershipApi.Map(api);
    }

    public void MapPageEndpoints(IEndpointRouteBuilder pages) => StatementDownloads.Map(pages);

    public Assembly? Pages => typeof(EmployersModule).Assembly;

    public IReadOnlyList<ModuleLink> Navigation { get; } =
    [
        new("/employers", new LocalizedText("Groupement d’employeurs", "Werkgeversgroepering", "Employers’ group")),
    ];

    public IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Caller caller) => EmployersNews.For(services, caller);

    public Command? BuildCommand(Func<ModuleCommandContext> context) => EmployersCommands.Build(context);
}
