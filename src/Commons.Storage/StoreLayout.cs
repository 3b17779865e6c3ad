using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Where everything lives in the one LiteDB file: a fixed set of collections, whatever the number of datasets and
/// subscriptions. LiteDB keeps every collection name in its header page, which has room for only about 400 of them,
/// so per-dataset collections (the first layout, <c>r{key}</c>/<c>c{key}</c>/<c>p{id}</c>) capped a node at ~400
/// datasets. Here each dataset's (or subscription's) documents form one contiguous range of a shared collection's
/// primary key, read and deleted by range on the PK index.
/// <para>
/// The layout has a version, kept in <c>meta/layout</c>; a change to it is a numbered step of <see cref="StoreMigrations"/>.
/// (The per-dataset layout before it never shipped, so no step reads it.)
/// </para>
/// </summary>
public static class StoreLayout
{
    /// <summary>Records of every dataset. <c>_id</c> = <c>{datasetKey:x8}/{recordId}</c>, <c>ds</c> = the dataset key.</summary>
    public const string Records = "records";

    /// <summary>Changes of every dataset's feed. <c>_id</c> = <c>datasetKey &lt;&lt; 40 | seq</c>, <c>seq</c> = the sequence number.</summary>
    public const string Changes = "changes";

    /// <summary>Live (not deleted) record count per dataset, kept in the transaction that writes the record. <c>_id</c> = the dataset key.</summary>
    public const string RecordCounts = "recordCounts";

    /// <summary>Replicas of every followed dataset. <c>_id</c> = <c>{subscriptionId}/{recordId}</c>, <c>sub</c> = the subscription id.</summary>
    public const string Replicas = "replicas";

    /// <summary>Modules' documents. <c>_id</c> = <c>{module}/{collection}/{key}</c> (see <see cref="LiteModuleStore"/>).</summary>
    public const string ModuleData = "moduleData";

    /// <summary>The shared collections, created when the store opens (so a snapshot always pins them).</summary>
    public static readonly IReadOnlyList<string> Shared = [Records, Changes, RecordCounts, Replicas, ModuleData];

    // ------------------------------------------------------------ records

    /// <summary>Length of the dataset prefix of a record's document id: 8 hex digits and '/'.</summary>
    private const int RecordPrefixLength = 9;

    /// <summary>
    /// The fixed-width hex key keeps datasets from interleaving under the ordinal collation: every id of dataset k sorts
    /// after <c>"{k:x8}/"</c> and before <c>"{k:x8}0"</c> ('0' follows '/'), in the order of the record ids themselves.
    /// </summary>
    public static string RecordPrefix(int datasetKey) => datasetKey.ToString("x8") + "/";

    public static string RecordDocumentId(int datasetKey, string recordId) => RecordPrefix(datasetKey) + recordId;

    /// <summary>The record id inside a document id (the dataset prefix removed).</summary>
    public static string RecordIdOf(string documentId) => documentId[RecordPrefixLength..];

    /// <summary>The lowest and highest document ids a dataset's records can have (inclusive: no document id equals the upper bound).</summary>
    public static (string Low, string High) RecordRange(int datasetKey)
    {
        var k = datasetKey.ToString("x8");
        return (k + "/", k + "0");
    }

    /// <summary>Every record document of one dataset, as a range on the primary key.</summary>
    public static BsonExpression RecordsOf(int datasetKey)
    {
        var (low, high) = RecordRange(datasetKey);
        return StoreQueries.Between("_id", low, high);
    }

    // ------------------------------------------------------------ changes

    private const int SeqBits = 40;

    /// <summary>Highest sequence number a feed can reach (2^40 - 1).</summary>
    public const long MaxSeq = (1L << SeqBits) - 1;

    /// <summary>Highest dataset key whose change ids stay positive longs (2^23 - 1).</summary>
    public const int MaxDatasetKey = (1 << (63 - SeqBits)) - 1;

    public static long ChangeId(int datasetKey, long seq)
    {
        if (datasetKey is < 0 or > MaxDatasetKey) throw new ArgumentOutOfRangeException(nameof(datasetKey), datasetKey, $"dataset keys go up to {MaxDatasetKey}");
        if (seq is < 0 or > MaxSeq) throw new ArgumentOutOfRangeException(nameof(seq), seq, $"sequence numbers go up to {MaxSeq}");
        return ((long)datasetKey << SeqBits) | seq;
    }

    /// <summary>Changes of one dataset with a sequence number in [<paramref name="fromSeq"/>, <paramref name="toSeq"/>], as a range on the primary key.</summary>
    public static BsonExpression ChangesOf(int datasetKey, long fromSeq = 1, long toSeq = MaxSeq) =>
        StoreQueries.Between("_id", ChangeId(datasetKey, fromSeq), ChangeId(datasetKey, toSeq));

    // ------------------------------------------------------------ replicas

    /// <summary>Subscription ids never hold '/', so <c>"{id}/"</c>..<c>"{id}0"</c> holds exactly one subscription's replicas.</summary>
    public static string ReplicaPrefix(string subscriptionId)
    {
        if (string.IsNullOrEmpty(subscriptionId) || subscriptionId.Contains('/'))
            throw new ArgumentException($"'{subscriptionId}' is not a subscription id (empty, or holds '/')", nameof(subscriptionId));
        return subscriptionId + "/";
    }

    public static string ReplicaDocumentId(string subscriptionId, string recordId) => ReplicaPrefix(subscriptionId) + recordId;

    /// <summary>The lowest and highest document ids a subscription's replicas can have (inclusive: no document id equals the upper bound).</summary>
    public static (string Low, string High) ReplicaRange(string subscriptionId) => (ReplicaPrefix(subscriptionId), subscriptionId + "0");

    public static BsonExpression ReplicasOf(string subscriptionId)
    {
        var (low, high) = ReplicaRange(subscriptionId);
        return StoreQueries.Between("_id", low, high);
    }
}
