namespace Commons.Storage.Tests.Contract;

// The contract suite run against LiteDB, registered as the node registers it (AddLiteDbStorage). A second backend
// adds a file like this one with its own StoreBackend, and nothing else.

public sealed class LiteDbNodeStore() : NodeStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbMemberStore() : MemberStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbTokenStore() : TokenStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbInvitationStore() : InvitationStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbDomainRuleStore() : DomainRuleStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbDatasetStore() : DatasetStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbRecordStore() : RecordStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbModuleStore() : ModuleStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbFollowerStore() : FollowerStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbSubscriptionStore() : SubscriptionStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbDeliveryQueue() : DeliveryQueueContract(StoreBackend.LiteDb());
public sealed class LiteDbInboxStore() : InboxStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbActorKeyStore() : ActorKeyStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbReplicaStore() : ReplicaStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbRevocationStore() : RevocationStoreContract(StoreBackend.LiteDb());
public sealed class LiteDbExchangeStore() : ExchangeStoreContract(StoreBackend.LiteDb());
