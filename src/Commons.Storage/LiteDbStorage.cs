using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Core.Store;
using Commons.Core.Tokens;
using Commons.Storage.Federation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Commons.Storage;

/// <summary>
/// The LiteDB backend behind Core's ports, registered in one call: the store file (opened, and migrated, on first use),
/// every store, and the readiness, backup, check and folder ports. A second backend would offer the same method.
/// </summary>
public static class LiteDbStorage
{
    /// <summary>The data folder's operations that need no open store (in use? restore).</summary>
    public static IStoreFolder Folder { get; } = new LiteStoreFolder();

    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services, Func<IServiceProvider, string> dataDirectory)
    {
        // Opening the store migrates its layout (StoreMigrations), for the node and the CLI alike.
        services.AddSingleton(sp => CommonsDatabase.Open(dataDirectory(sp), new StoreMigrations(
            sp.GetService<ILoggerFactory>()?.CreateLogger<StoreMigrations>(), sp.GetService<TimeProvider>())));
        services.AddSingleton<IKindUpgrades>(sp => new LiteKindUpgrades(sp.GetRequiredService<CommonsDatabase>(),
            sp.GetService<IDatasetKinds>() ?? DatasetKindRegistry.Empty, sp.GetService<TimeProvider>(), sp.GetService<ILogger<LiteKindUpgrades>>()));
        services.AddSingleton(Folder);
        services.AddSingleton<IStoreReadiness>(sp => new LiteStoreReadiness(new Lazy<CommonsDatabase>(sp.GetRequiredService<CommonsDatabase>),
            new Lazy<IKindUpgrades>(sp.GetRequiredService<IKindUpgrades>), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IStoreBackup, LiteStoreBackup>();
        services.AddSingleton<IStoreCheck>(sp => new LiteStoreCheck(sp.GetRequiredService<CommonsDatabase>(), sp.GetRequiredService<IKindUpgrades>()));

        services.AddSingleton<INodeStore, LiteNodeStore>();
        services.AddSingleton<IMemberStore, LiteMemberStore>();
        services.AddSingleton<ITokenStore, LiteTokenStore>();
        services.AddSingleton<IInvitationStore, LiteInvitationStore>();
        services.AddSingleton<IDatasetStore, LiteDatasetStore>();
        services.AddSingleton<IRecordStore, LiteRecordStore>();
        services.AddSingleton<IChangeFeed, LiteChangeFeed>();
        services.AddSingleton<IDomainRuleStore, LiteDomainRuleStore>();
        services.AddSingleton<IModuleStore, LiteModuleStore>();

        services.AddSingleton<IFollowerStore, LiteFollowerStore>();
        services.AddSingleton<ISubscriptionStore, LiteSubscriptionStore>();
        services.AddSingleton<IDeliveryQueue, LiteDeliveryQueue>();
        services.AddSingleton<IInboxStore, LiteInboxStore>();
        services.AddSingleton<IActorKeyStore, LiteActorKeyStore>();
        services.AddSingleton<IReplicaStore, LiteReplicaStore>();
        services.AddSingleton<IRevocationStore, LiteRevocationStore>();
        services.AddSingleton<IExchangeStore, LiteExchangeStore>();
        return services;
    }
}
