using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Storage;
using LiteDB;

namespace Commons.Bench;

/// <summary>
/// The node's store next to plain LiteDB, on real files in temporary folders, in the same process and run.
/// Each category pairs "ours" (through <c>RecordService</c> / <c>IChangeFeed</c>) with "raw" (a bare <see cref="LiteDatabase"/>
/// handling the same documents); raw is the baseline, so BenchmarkDotNet's Ratio column is ours ÷ raw (time per operation).
/// Every figure is per record (batch and scan benchmarks declare OperationsPerInvoke).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
public class StoreBenchmarks
{
    public const string InsertOne = "insert, one at a time";
    public const string InsertBatch = "insert, batch of 1,000";
    public const string ReadById = "read by id";
    public const string FeedScan = "changes feed scan (10,000)";

    /// <summary>Records per batch: "ours" is one <c>RecordService.CreateMany</c> (the batch API's service call), one transaction.</summary>
    public const int BatchSize = 1_000;
    /// <summary>Records (and so changes) in the read and feed datasets.</summary>
    public const int StoredRecords = 10_000;
    /// <summary>Page size of a feed scan (the API's largest page).</summary>
    public const int FeedPage = 500;
    /// <summary>Distinct sample bodies cycled through by the insert benchmarks.</summary>
    private const int Samples = 1_000;

    private string? _oursDir, _rawDir;
    private NodeStores? _ours;
    private LiteDatabase? _raw;
    private ILiteCollection<BsonDocument>? _rawRecords, _rawChanges;
    private Dataset? _dataset;
    private JsonElement[] _bodies = [];
    private (BsonValue Data, string Text)[] _rawBodies = [];
    private string[] _ids = [];
    private int _next;
    private long _rawId;

    // ---------------------------------------------------------------- setup

    [GlobalSetup(Targets = new[] { nameof(Ours_InsertOne) })]
    public void SetupOursWrites()
    {
        _bodies = Enumerable.Range(0, Samples).Select(Offers.Element).ToArray();
        _oursDir = TempDirs.New("ours");
        _ours = new NodeStores(_oursDir);
        _dataset = _ours.EnsureOffers();
    }

    [GlobalSetup(Targets = new[] { nameof(Raw_InsertOne) })]
    public void SetupRawWrites()
    {
        _rawBodies = Enumerable.Range(0, Samples).Select(i => RawLite.Prepared(Offers.Element(i))).ToArray();
        _rawDir = TempDirs.New("raw");
        _raw = RawLite.Open(_rawDir);
        _rawRecords = _raw.GetCollection("r1");
    }

    /// <summary>
    /// A batch method runs once per 1,000 records, so the job's warm-up (three 250 ms iterations, ~20 calls) leaves it and
    /// the loops it drives in their first, unoptimised tiers: a loop of batches ran 30 ms a batch for its first ~60 and
    /// 18 ms from then on (bench/README.md, issue 17 session 9). Both sides run <see cref="BatchWarmUp"/> batches first,
    /// so each is measured as a running node runs it, and both files hold as many records when measuring starts.
    /// </summary>
    private const int BatchWarmUp = 80;

    [GlobalSetup(Targets = new[] { nameof(Ours_InsertBatch) })]
    public void SetupOursBatches()
    {
        SetupOursWrites();
        for (var i = 0; i < BatchWarmUp; i++) Ours_InsertBatch();
    }

    [GlobalSetup(Targets = new[] { nameof(Raw_InsertBulk) })]
    public void SetupRawBatches()
    {
        SetupRawWrites();
        for (var i = 0; i < BatchWarmUp; i++) Raw_InsertBulk();
    }

    /// <summary>
    /// Fills the node's store with <see cref="StoredRecords"/> records through <c>RecordService.Create</c> (so as many changes),
    /// then copies the very same BSON documents (records and changes) into a plain LiteDB file.
    /// </summary>
    [GlobalSetup(Targets = new[] { nameof(Ours_GetById), nameof(Raw_FindById), nameof(Ours_FeedScan), nameof(Raw_FeedScan) })]
    public void SetupReads()
    {
        _oursDir = TempDirs.New("ours-read");
        _ours = new NodeStores(_oursDir);
        _dataset = _ours.EnsureOffers();
        var ids = new List<string>(StoredRecords);
        for (var i = 0; i < StoredRecords; i++)
            ids.Add(_ours.Records.Create(NodeStores.Admin, Offers.Slug, null, Offers.Element(i)).Record.Id);
        _ids = ids.OrderBy(_ => Random.Shared.Next()).ToArray();

        _rawDir = TempDirs.New("raw-read");
        _raw = RawLite.Open(_rawDir);
        var db = _ours.Database.Read(() => _ours.Database.Db);
        // The node keeps every dataset in shared collections (ids prefixed with the dataset key, see StoreLayout); the raw
        // file holds the same documents keyed as a single-dataset store would: by record id, and by sequence number.
        _rawRecords = _raw.GetCollection("r1");
        _rawRecords.InsertBulk(db.GetCollection(StoreLayout.Records).Find(StoreLayout.RecordsOf(_dataset.Key))
            .Select(d => { d["_id"] = StoreLayout.RecordIdOf(d["_id"].AsString); d.Remove("ds"); return d; }));
        _rawChanges = _raw.GetCollection("c1");
        _rawChanges.InsertBulk(db.GetCollection(StoreLayout.Changes).Find(StoreLayout.ChangesOf(_dataset.Key))
            .Select(d => { d["_id"] = d["seq"]; d.Remove("seq"); return d; }));
        if (_rawRecords.Count() != StoredRecords || _rawChanges.Count() != StoredRecords || _ours.Feed.LastSeq(_dataset.Key) != StoredRecords)
            throw new InvalidOperationException("the read fixtures do not hold the expected documents");
        // Both files start the reads in the same state: every page written to the data file, the log empty.
        _ours.Database.Read(() => _ours.Database.Db.Checkpoint());
        _raw.Checkpoint();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _raw?.Dispose();
        _ours = null;
        _raw = null;
        TempDirs.Delete(_oursDir);
        TempDirs.Delete(_rawDir);
    }

    // ---------------------------------------------------------------- insert, one at a time

    [Benchmark(Description = "ours: RecordService.Create"), BenchmarkCategory(InsertOne)]
    public Record Ours_InsertOne() =>
        _ours!.Records.Create(NodeStores.Admin, Offers.Slug, null, _bodies[_next++ % Samples]).Record;

    [Benchmark(Baseline = true, Description = "raw: LiteCollection.Insert"), BenchmarkCategory(InsertOne)]
    public BsonValue Raw_InsertOne()
    {
        var (data, text) = _rawBodies[_next++ % Samples];
        return _rawRecords!.Insert(RawLite.RecordDocument(NextRawId(), data, text, DateTime.UtcNow.Ticks));
    }

    // ---------------------------------------------------------------- insert, batches

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "ours: RecordService.CreateMany of 1,000"), BenchmarkCategory(InsertBatch)]
    public int Ours_InsertBatch()
    {
        var items = new RecordBatchItem[BatchSize];
        for (var i = 0; i < BatchSize; i++) items[i] = new RecordBatchItem(null, _bodies[_next++ % Samples]);
        return _ours!.Records.CreateMany(NodeStores.Admin, Offers.Slug, items).Created;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize, Description = "raw: LiteCollection.InsertBulk"), BenchmarkCategory(InsertBatch)]
    public int Raw_InsertBulk()
    {
        var now = DateTime.UtcNow.Ticks;
        var docs = new BsonDocument[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            var (data, text) = _rawBodies[_next++ % Samples];
            docs[i] = RawLite.RecordDocument(NextRawId(), data, text, now);
        }
        return _rawRecords!.InsertBulk(docs);
    }

    // ---------------------------------------------------------------- read by id

    [Benchmark(Description = "ours: RecordService.Get"), BenchmarkCategory(ReadById)]
    public Record Ours_GetById() => _ours!.Records.Get(NodeStores.Admin, Offers.Slug, _ids[_next++ % _ids.Length]);

    [Benchmark(Baseline = true, Description = "raw: LiteCollection.FindById"), BenchmarkCategory(ReadById)]
    public BsonDocument Raw_FindById() => _rawRecords!.FindById(_ids[_next++ % _ids.Length]);

    // ---------------------------------------------------------------- changes feed

    [Benchmark(OperationsPerInvoke = StoredRecords, Description = "ours: IChangeFeed.Since, pages of 500"), BenchmarkCategory(FeedScan)]
    public long Ours_FeedScan()
    {
        long after = 0, seen = 0;
        while (true)
        {
            IReadOnlyList<Change> page = _ours!.Feed.Since(_dataset!.Key, after, FeedPage);
            if (page.Count == 0) break;
            seen += page.Count;
            after = page[^1].Seq;
        }
        return Expect(seen);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = StoredRecords, Description = "raw: Find(_id > n), pages of 500"), BenchmarkCategory(FeedScan)]
    public long Raw_FeedScan()
    {
        long after = 0, seen = 0;
        while (true)
        {
            var page = _rawChanges!.Find(Query.GT("_id", after), limit: FeedPage).ToList();
            if (page.Count == 0) break;
            seen += page.Count;
            after = page[^1]["_id"].AsInt64;
        }
        return Expect(seen);
    }

    private static long Expect(long seen) =>
        seen == StoredRecords ? seen : throw new InvalidOperationException($"scanned {seen} changes, expected {StoredRecords}");

    private string NextRawId() => $"raw{++_rawId:D10}";
}
