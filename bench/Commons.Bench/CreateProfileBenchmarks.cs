using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Json;
using Commons.Core.Records;
using Commons.Core.Schemas;
using Commons.Core.Text;
using Commons.Storage;
using LiteDB;

namespace Commons.Bench;

/// <summary>
/// Where one API create's time goes: each stage of <c>RecordService.Create</c> measured alone on the same sample bodies,
/// beside the whole create and the raw LiteDB <c>Insert</c> (the baseline) in the same run. Run with
/// <c>--filter '*CreateProfile*'</c>. The stages do not add up exactly to the whole (allocation and cache effects differ),
/// but they say which part to work on.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
public class CreateProfileBenchmarks
{
    private const string Category = "create, by stage";
    private const int Samples = 1_000;

    private string? _oursDir, _rawDir;
    private NodeStores? _ours;
    private LiteDatabase? _raw;
    private ILiteCollection<BsonDocument>? _rawRecords;
    private Dataset? _dataset;
    private JsonElement[] _bodies = [];
    private (BsonValue Data, string Text)[] _rawBodies = [];
    private int _next;
    private long _rawId;

    [GlobalSetup]
    public void Setup()
    {
        _bodies = Enumerable.Range(0, Samples).Select(Offers.Element).ToArray();
        _rawBodies = _bodies.Select(RawLite.Prepared).ToArray();
        _oursDir = TempDirs.New("profile-ours");
        _ours = new NodeStores(_oursDir);
        _dataset = _ours.EnsureOffers();
        _rawDir = TempDirs.New("profile-raw");
        _raw = RawLite.Open(_rawDir);
        _rawRecords = _raw.GetCollection("r1");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours?.Dispose();
        _raw?.Dispose();
        TempDirs.Delete(_oursDir);
        TempDirs.Delete(_rawDir);
    }

    private JsonElement Body() => _bodies[_next++ % Samples];

    [Benchmark(Baseline = true, Description = "raw: LiteCollection.Insert"), BenchmarkCategory(Category)]
    public BsonValue Raw_Insert()
    {
        var (data, text) = _rawBodies[_next++ % Samples];
        return _rawRecords!.Insert(RawLite.RecordDocument($"raw{++_rawId:D10}", data, text, DateTime.UtcNow.Ticks));
    }

    [Benchmark(Description = "whole: RecordService.Create"), BenchmarkCategory(Category)]
    public Record Ours_Create() => _ours!.Records.Create(NodeStores.Admin, Offers.Slug, null, Body()).Record;

    [Benchmark(Description = "stage: dataset lookup + access"), BenchmarkCategory(Category)]
    public Dataset Stage_Dataset() => _ours!.Datasets.Get(NodeStores.Admin, Offers.Slug, AccessLevel.Edit);

    [Benchmark(Description = "stage: schema validation"), BenchmarkCategory(Category)]
    public int Stage_Validate() => RecordSchema.For(_dataset!.Schema).Validate(Body()).Count;

    [Benchmark(Description = "stage: text scan + size + clone"), BenchmarkCategory(Category)]
    public int Stage_TextScan()
    {
        var body = Body();
        var invalid = StrictJson.FirstInvalidText(body) is null ? 0 : 1;
        return invalid + Encoding.UTF8.GetByteCount(body.GetRawText()) + body.Clone().GetRawText().Length;
    }

    [Benchmark(Description = "stage: JSON→BSON + search text"), BenchmarkCategory(Category)]
    public int Stage_ToBson()
    {
        var body = Body();
        return JsonBson.ToBson(body).AsDocument.Count + SearchText.FromJson(body).Length;
    }

    [Benchmark(Description = "stage: store commit (read, seq, count, change, record)"), BenchmarkCategory(Category)]
    public long Stage_Commit()
    {
        var body = Body();
        var now = DateTimeOffset.UtcNow;
        var id = RecordIds.New(now);
        return _ours!.RecordStore.Commit(_dataset!.Key, id, _ => new RecordMutation(
            new Record { Id = id, Revision = 1, Data = body, Shared = true, SharedOnce = true, CreatedAt = now, CreatedBy = "admin", UpdatedAt = now, UpdatedBy = "admin" },
            new ChangeDraft(ChangeKind.Create, id, 1, "admin", now))).Record.Seq;
    }

    [Benchmark(Description = "stage: store commit of a generated id (no reads: seq, count, change, record)"), BenchmarkCategory(Category)]
    public long Stage_CommitNew()
    {
        var body = Body();
        var now = DateTimeOffset.UtcNow;
        var id = RecordIds.New(now);
        return _ours!.RecordStore.CommitNew(_dataset!.Key, id, null, (_, _) => new RecordMutation(
            new Record { Id = id, Revision = 1, Data = body, Shared = true, SharedOnce = true, CreatedAt = now, CreatedBy = "admin", UpdatedAt = now, UpdatedBy = "admin" },
            new ChangeDraft(ChangeKind.Create, id, 1, "admin", now))).Record.Seq;
    }

    [Benchmark(Description = "stage: one record document inserted in a node transaction"), BenchmarkCategory(Category)]
    public BsonValue Stage_InsertOnly()
    {
        var (data, text) = _rawBodies[_next++ % Samples];
        var doc = RawLite.RecordDocument(StoreLayout.RecordDocumentId(_dataset!.Key, RecordIds.New(DateTimeOffset.UtcNow)), data, text, DateTime.UtcNow.Ticks);
        return _ours!.Database.Write(() => _ours.Database.Db.GetCollection(StoreLayout.Records).Insert(doc));
    }

    [Benchmark(OperationsPerInvoke = 1_000, Description = "stage: schema validation of 1,000 bodies, one thread"), BenchmarkCategory(Category)]
    public int Stage_ValidateSequential()
    {
        var schema = RecordSchema.For(_dataset!.Schema);
        var errors = 0;
        for (var i = 0; i < 1_000; i++) errors += schema.Validate(_bodies[i]).Count;
        return errors;
    }

    [Benchmark(OperationsPerInvoke = 1_000, Description = "stage: schema validation of 1,000 bodies, all cores (as CreateMany)"), BenchmarkCategory(Category)]
    public int Stage_ValidateParallel()
    {
        var schema = RecordSchema.For(_dataset!.Schema);
        var errors = 0;
        Parallel.For(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => Interlocked.Add(ref errors, schema.Validate(_bodies[i]).Count));
        return errors;
    }

    [Benchmark(OperationsPerInvoke = 1_000, Description = "stage: store CommitMany of 1,000 new records (stored form built on all cores), per record"), BenchmarkCategory(Category)]
    public int Stage_CommitMany()
    {
        var now = DateTimeOffset.UtcNow;
        var targets = new RecordTarget[1_000];
        for (var i = 0; i < targets.Length; i++) targets[i] = new RecordTarget(RecordIds.New(now), NewId: true, Data: Body());
        return _ours!.RecordStore.CommitMany(_dataset!.Key, targets, null, (i, _, _) => new RecordMutation(
            new Record { Id = targets[i].Id, Revision = 1, Data = targets[i].Data!.Value, Shared = true, SharedOnce = true, CreatedAt = now, CreatedBy = "admin", UpdatedAt = now, UpdatedBy = "admin" },
            new ChangeDraft(ChangeKind.Create, targets[i].Id, 1, "admin", now)), () => { }).Count;
    }

    [Benchmark(Description = "stage: last sequence number"), BenchmarkCategory(Category)]
    public long Stage_LastSeq() => _ours!.Feed.LastSeq(_dataset!.Key);
}
