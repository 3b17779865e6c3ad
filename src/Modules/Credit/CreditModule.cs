using System.CommandLine;
using System.Reflection;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Modules.Credit.Api;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Cli;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Requests;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;
using Commons.Modules.Credit.Views;
using Commons.Platform;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Modules.Credit;

/// <summary>
/// Mutual credit (C7): organisations trade in a unit of their exchange group without always using the euro. Each
/// keeps its own account on its own node; a transfer is a request between the two nodes, signed by both; anyone in
/// the group can check that the whole adds up.
/// </summary>
public sealed class CreditModule : ICommonsModule
{
    public string Name => CreditBook.Module;
    public LocalizedText Title => new("Crédit mutuel", "Onderling krediet", "Mutual credit");
    public LocalizedText Description => new(
        "Un groupe d’échange et son unité : chaque organisation tient son compte sur son nœud, chaque virement est signé des deux côtés, et chacun peut vérifier que le tout s’équilibre.",
        "Een ruilgroep en haar eenheid: elke organisatie houdt haar rekening op haar eigen knooppunt bij, elke overschrijving is door beide kanten ondertekend, en iedereen kan nagaan dat het geheel klopt.",
        "An exchange group and its unit: each organisation keeps its account on its own node, every transfer is signed by both sides, and anyone can check that the whole adds up.");

    public IReadOnlyList<DatasetKind> Kinds { get; } = [new GroupKind(), new LedgerKind()];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CreditLedgers>();
        services.AddSingleton<CreditSettlement>();
        services.AddSingleton<CreditService>();
        services.AddSingleton<CreditGroups>();
        services.AddSingleton<TransactionSignatures>();
        services.AddSingleton<CreditHistory>();
        services.AddSingleton<CreditLimits>();
        services.AddSingleton<CreditGroupAudit>();
        services.AddSingleton<Accounts.CreditAccounts>();
        services.AddSingleton<Payments.CreditPayments>();
        services.AddSingleton<Statements.CreditStatements>();
        services.AddSingleton<Core.Payments.ICreditPayments>(s => s.GetRequiredService<Payments.CreditPayments>());
        services.AddSingleton<IDatasetView, GroupTermsView>();
        services.AddSingleton<IDatasetView, LedgerStatementView>();
        services.AddSingleton<IDatasetView, LedgerTransactionsView>();
        services.AddSingleton<IRequestHandler, PayRequestHandler>();
        services.AddSingleton<IRequestHandler, BillRequestHandler>();
        services.AddHostedService<CreditSettlementLoop>();
        services.AddSingleton<Services.Membership.CreditMembership>();
        services.AddSingleton<IDatasetView, Services.Membership.MembershipsView>();
        services.AddSingleton(configuration.GetValue<int?>("Credit:MembershipRefreshSeconds") is > 0 and var seconds
            ? new Services.Membership.MembershipOptions(TimeSpan.FromSeconds(seconds)) : Services.Membership.MembershipOptions.Default);
        services.AddHostedService<Services.Membership.MembershipRefreshLoop>();
    }

    public void MapApi(IEndpointRouteBuilder api)
    {
        CreditApi.Map(api);
        Statements.StatementXmlApi.Map(api);
    }

    public void MapPageEndpoints(IEndpointRouteBuilder pages)
    {
        Accounts.StatementDownload.Map(pages);
        Statements.StatementXmlApi.MapPages(pages);
    }

    public Assembly? Pages => typeof(CreditModule).Assembly;

    public IReadOnlyList<ModuleLink> Navigation { get; } =
    [
        new("/credit", new LocalizedText("Crédit mutuel", "Onderling krediet", "Mutual credit")),
        new("/credit/bills", new LocalizedText("Factures à accepter", "Te aanvaarden facturen", "Bills to accept")),
    ];

    public Command? BuildCommand(Func<ModuleCommandContext> context) => CreditCommands.Build(context);

    public IReadOnlyList<FirstRunStep> FirstRunSteps { get; } = [];

    public IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Core.Access.Caller caller) => Accounts.CreditNews.For(services, caller);
}
