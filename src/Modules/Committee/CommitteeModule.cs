using System.CommandLine;
using System.Reflection;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Governance;
using Commons.Core.Kinds;
using Commons.Modules.Committee.Api;
using Commons.Modules.Committee.Cli;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;
using Commons.Modules.Committee.Services;
using Commons.Platform;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Committee;

/// <summary>
/// The steering committee (C8): a coordinating node puts proposals to its member nodes; each member votes once per
/// proposal, as the organisation, with a signed ballot; at closing the tally goes into the decisions with every signed
/// ballot, so any member can recount; and the settings a committee governs change only with a decision that authorises it.
/// </summary>
public sealed class CommitteeModule : ICommonsModule
{
    public string Name => CommitteeBook.Module;
    public LocalizedText Title => new("Comité de pilotage", "Stuurcomité", "Steering committee");
    public LocalizedText Description => new(
        "Des propositions soumises aux organisations membres : chacune vote une fois depuis son nœud, par un bulletin signé ; chacun peut recompter, et les réglages gouvernés ne changent qu’avec une décision adoptée.",
        "Voorstellen aan de lidorganisaties: elk stemt één keer vanaf haar eigen knooppunt, met een ondertekend stembiljet; iedereen kan hertellen, en bestuurde instellingen veranderen alleen met een aangenomen besluit.",
        "Proposals put to the member organisations: each votes once from its own node with a signed ballot; anyone can recount, and governed settings change only with an adopted decision.");

    public IReadOnlyList<DatasetKind> Kinds { get; } = [new CommitteeKind(), new ProposalsKind(), new DecisionsKind()];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CommitteeClosing>();
        services.AddSingleton<CommitteeRecount>();
        services.AddSingleton<CommitteeDecisionFinder>();
        services.AddSingleton<CommitteeGovernance>();
        services.AddSingleton<IGovernance>(sp => sp.GetRequiredService<CommitteeGovernance>());
        services.AddSingleton<LocalBallots>();
        services.AddSingleton<CommitteeService>();
        services.AddSingleton<CommitteeReminders>();
        services.AddSingleton<Committee.Pages.CommitteePages>();
        services.AddSingleton<IRequestHandler, VoteRequestHandler>();
        services.AddSingleton<CommitteeFollowUps>();
        services.AddSingleton<IRequestHandler, FollowUpRequestHandler>();
        services.AddSingleton<Core.Federation.IRecordObjectShape, Polls.ProposalQuestion>();
        services.AddHostedService<CommitteeClosingLoop>();
    }

    public void MapApi(IEndpointRouteBuilder api) => CommitteeApi.Map(api);

    public Assembly? Pages => typeof(CommitteeModule).Assembly;

    public IReadOnlyList<ModuleLink> Navigation { get; } =
    [
        new("/committee", new LocalizedText("Comité de pilotage", "Stuurcomité", "Steering committee")),
    ];

    public Command? BuildCommand(Func<ModuleCommandContext> context) => CommitteeCommands.Build(context);

    public IReadOnlyList<FirstRunStep> FirstRunSteps { get; } = [];

    /// <summary>Open proposals this node has not voted on yet (for its administrators), and adopted decisions whose due date has passed while still planned or in progress.</summary>
    public IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Core.Access.Caller caller) =>
        [.. services.GetService<Committee.Pages.CommitteePages>() is { } pages ? Committee.Pages.CommitteeNews.Unvoted(pages, caller) : [], .. services.GetRequiredService<CommitteeReminders>().Overdue(caller)];
}
