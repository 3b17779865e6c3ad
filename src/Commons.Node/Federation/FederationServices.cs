using Commons.Core.Changes;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Core.Exchanges;
using Commons.Federation.Delivery;
using Commons.Federation.PublicData;
using Commons.Federation.Exchanges;
using Commons.Federation.Following;
using Commons.Federation.Http;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Views;
using Commons.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Commons.Node.Federation;

/// <summary>Registers federation: its stores, the node's public URLs, outgoing HTTP, inbox, fan-out and delivery.</summary>
public static class FederationServices
{
    public static IServiceCollection AddFederation(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<FederationOptions>(configuration.GetSection(FederationOptions.SectionName));
        services.AddSingleton(sp => PublicAddress.Resolve(sp.GetRequiredService<IOptions<NodeOptions>>().Value, configuration));
        services.AddSingleton<FederationGate>();
        services.AddSingleton(sp => new ActivityUris(sp.GetRequiredService<PublicAddress>().Url)
        {
            Shapes = new RecordObjectShapes(sp.GetServices<IRecordObjectShape>()),
        });
        services.AddSingleton<ActorKeyring>();
        services.AddSingleton<INodeSigningKey, NodeSigningKey>();
        services.AddSingleton<KeyRotation>();
        services.AddSingleton(sp => new DatasetActorUpdates(sp.GetRequiredService<ActorKeyring>(), sp.GetRequiredService<ObjectProofs>(),
            sp.GetRequiredService<ActivityUris>(), kind => sp.GetRequiredService<DatasetViewRegistry>().NamesFor(kind)));
        services.AddSingleton<ObjectProofs>();
        services.AddSingleton<ChangeActivityLookup>();
        services.AddSingleton<ProofVerifier>();
        services.AddSingleton<IObjectProofs, ModuleObjectProofs>();
        services.AddSingleton<ReplicaApplier>();
        services.AddSingleton<BackfillFeed>();
        services.AddSingleton<BackfillClient>();
        services.AddSingleton<ReplicaCheck>();
        services.AddSingleton<ReplicaExport>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<IChangeNotifier, FanOutWake>();
        services.AddSingleton<Outbox>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FederationOptions>>().Value);
        // Domain rules: configuration plus what administrators store at runtime; every decision reads the current snapshot.
        services.AddSingleton(sp => new DomainPolicyProvider(sp.GetRequiredService<FederationOptions>(), sp.GetRequiredService<IDomainRuleStore>()));
        services.AddSingleton<DomainRuleService>();
        services.AddSingleton(sp => new SignedHttpClient(sp.GetRequiredService<FederationOptions>(), sp.GetRequiredService<TimeProvider>(),
            domains: sp.GetRequiredService<DomainPolicyProvider>()));
        services.AddSingleton<PublicKeyCache>();
        services.AddSingleton(sp => NodeSigner(sp));
        services.AddSingleton(sp => new RemoteActorFetcher(
            sp.GetRequiredService<SignedHttpClient>(), sp.GetRequiredService<SigningIdentity>(), sp.GetRequiredService<PublicKeyCache>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<RemoteActorCacheOptions>()));
        // What anyone may read of other nodes (the map's crawl): unsigned, through the same guard.
        services.AddSingleton(sp => new PublicHttpClient(sp.GetRequiredService<FederationOptions>(), sp.GetRequiredService<DomainPolicyProvider>()));
        services.AddSingleton<IPublicDirectory, PublicDirectoryClient>();
        services.AddSingleton(sp => new WebFingerClient(sp.GetRequiredService<SignedHttpClient>(), sp.GetRequiredService<SigningIdentity>()));
        services.AddSingleton<IActivitySender, SignedActivitySender>();
        services.AddSingleton<RetrySchedule>();
        services.AddSingleton(sp =>
        {
            var uris = sp.GetRequiredService<ActivityUris>();
            var keyring = sp.GetRequiredService<ActorKeyring>();
            // The key id of the sender's current generation: a delivery queued before a rotation is signed when sent, with the new key.
            return new DeliveryProcessor(sp.GetRequiredService<IDeliveryQueue>(), sp.GetRequiredService<IFollowerStore>(), keyring,
                sp.GetRequiredService<IActivitySender>(),
                sender => ActivityUris.KeyId(sender == ActorKeyring.NodeActor ? uris.NodeActor : uris.DatasetActor(sender), keyring.For(sender).RsaFragment),
                sp.GetRequiredService<RetrySchedule>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeliveryProcessor>>());
        });
        services.AddSingleton<FanOut>();
        services.AddSingleton<FollowerManager>();
        services.AddSingleton<FollowerReassessment>();
        services.AddSingleton<SubscriptionManager>();
        // What members, pages and the CLI call: each decides who may (the managers above are the protocol's side).
        services.AddSingleton<FollowerService>();
        services.AddSingleton<SubscriptionService>();
        // What modules use to follow other nodes' datasets (the credit module follows the other members' ledgers).
        services.AddSingleton<IDatasetFollows>(sp => new DatasetFollows(sp.GetRequiredService<SubscriptionService>(), sp.GetRequiredService<ISubscriptionStore>(),
            sp.GetRequiredService<RemoteDatasetLookup>(), sp.GetRequiredService<ActivityUris>(), sp.GetRequiredService<FederationGate>().EnsureOpen));
        services.AddSingleton<DeliveryAdmin>();
        services.AddSingleton<InboxReceiver>();
        // The inbox's handlers, one per (activity type, object type) pair or pairs.
        services.AddSingleton<IActivityHandler, FollowHandler>();
        services.AddSingleton<IActivityHandler, UndoFollowHandler>();
        services.AddSingleton<IActivityHandler, AcceptFollowHandler>();
        services.AddSingleton<IActivityHandler, RejectFollowHandler>();
        services.AddSingleton<IActivityHandler, RemoveHandler>();
        services.AddSingleton<IActivityHandler, RecordChangeHandler>();
        services.AddSingleton<IActivityHandler, UpdateActorHandler>();
        services.AddSingleton<IActivityHandler, RequestHandler>();
        services.AddSingleton<IActivityHandler, RequestAnswerHandler>();
        AddExchanges(services, configuration);
        services.AddSingleton<PeerRecovery>();
        services.AddSingleton<InboxProcessor>();
        return services;
    }

    /// <summary>Requests between nodes: the exchange store, both sides' services, the re-answer of a repeated request.</summary>
    private static void AddExchanges(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(ExchangeOptions.SectionName).Get<ExchangeOptions>() ?? new ExchangeOptions());
        services.AddSingleton<RemoteDatasetLookup>();
        services.AddSingleton<ExchangeAnswering>();
        services.AddSingleton<IncomingRequests>();
        services.AddSingleton<ExchangeAnswers>();
        services.AddSingleton<IRepeatedActivityListener, ExchangeReplays>();
        services.AddSingleton<ExchangeService>();
        // What modules use: requests through the same service and gate as the API, and the views of datasets, ours and others'.
        services.AddSingleton<IExchangeGateway>(sp => new ExchangeGateway(sp.GetRequiredService<ExchangeService>(), sp.GetRequiredService<IExchangeStore>(),
            sp.GetRequiredService<ExchangeAnswering>(), sp.GetRequiredService<FederationGate>().EnsureOpen));
        services.AddSingleton<DatasetViewRegistry>();
        services.AddSingleton<IRemoteDatasetViews>(sp => new RemoteDatasetViews(sp.GetRequiredService<SignedHttpClient>(), sp.GetRequiredService<SigningIdentity>(),
            sp.GetRequiredService<FederationGate>().EnsureOpen));
        // The RSA keys other nodes publish, for a module checking what they signed (the employers' group's statements).
        services.AddSingleton<IRemoteActorKeys>(sp => new RemoteActorKeys(sp.GetRequiredService<RemoteActorFetcher>(), sp.GetRequiredService<FederationGate>().EnsureOpen));
    }

    /// <summary>Commons:PublicUrl, else the first http(s) address the node listens on (see <see cref="PublicAddress"/>).</summary>
    public static string PublicUrl(NodeOptions options, IConfiguration configuration) => PublicAddress.Resolve(options, configuration).Url;

    /// <summary>The node actor's current RSA key: after <c>keys rotate _node</c> the next request is signed with the new one.</summary>
    private static SigningIdentity NodeSigner(IServiceProvider sp)
    {
        var keyring = sp.GetRequiredService<ActorKeyring>();
        var actor = sp.GetRequiredService<ActivityUris>().NodeActor;
        return new SigningIdentity(() =>
        {
            var keys = keyring.For(ActorKeyring.NodeActor);
            return (keys.Rsa, ActivityUris.KeyId(actor, keys.RsaFragment));
        });
    }
}
