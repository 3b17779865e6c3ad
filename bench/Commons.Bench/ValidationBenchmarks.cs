using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Commons.Core.Schemas;
using Json.Schema;
using LiteDB;

namespace Commons.Bench;

/// <summary>
/// A record body's schema validation beside the raw LiteDB <c>Insert</c> of the same run (the baseline): JsonSchema.Net's
/// verdict pass alone (what <c>RecordSchema.Validate</c> cost before the compiled verdict), the compiled verdict alone,
/// and <c>RecordSchema.Validate</c> as the record service calls it, on the ~900-byte "offers" bodies. Run with
/// <c>--filter '*Validation*'</c>.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private const string Category = "validate one offers record";
    private const int Samples = 1_000;

    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    private string? _rawDir;
    private LiteDatabase? _raw;
    private ILiteCollection<BsonDocument>? _rawRecords;
    private JsonElement[] _bodies = [];
    private JsonElement[] _invalid = [];
    private (BsonValue Data, string Text)[] _rawBodies = [];
    private JsonSchema? _library;
    private int _next;
    private long _rawId;

    [GlobalSetup]
    public void Setup()
    {
        _bodies = Enumerable.Range(0, Samples).Select(Offers.Element).ToArray();
        // A wrong category deep in an otherwise realistic body: the path that lists the errors.
        _invalid = Enumerable.Range(0, Samples)
            .Select(i => JsonDocument.Parse(Offers.Json(i).Replace("\"category\":\"", "\"category\":\"x")).RootElement.Clone()).ToArray();
        _rawBodies = _bodies.Select(RawLite.Prepared).ToArray();
        _library = JsonSchema.FromText(Offers.Schema);
        if (!RecordSchema.For(Offers.Schema).HasCompiledVerdict) throw new InvalidOperationException("the offers schema has no compiled verdict");
        _rawDir = TempDirs.New("validation-raw");
        _raw = RawLite.Open(_rawDir);
        _rawRecords = _raw.GetCollection("r1");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw?.Dispose();
        TempDirs.Delete(_rawDir);
    }

    private JsonElement Body() => _bodies[_next++ % Samples];

    [Benchmark(Baseline = true, Description = "raw: LiteCollection.Insert"), BenchmarkCategory(Category)]
    public BsonValue Raw_Insert()
    {
        var (data, text) = _rawBodies[_next++ % Samples];
        return _rawRecords!.Insert(RawLite.RecordDocument($"raw{++_rawId:D10}", data, text, DateTime.UtcNow.Ticks));
    }

    [Benchmark(Description = "before: JsonSchema.Net Evaluate, Flag (node's dialect)"), BenchmarkCategory(Category)]
    public bool Library_Verdict() => RecordSchema.For(Offers.Schema).LibraryVerdict(Body());

    [Benchmark(Description = "JsonSchema.Net Evaluate, Flag (plain)"), BenchmarkCategory(Category)]
    public bool Library_Plain() => _library!.Evaluate(Body(), Flag).IsValid;

    [Benchmark(Description = "compiled verdict alone"), BenchmarkCategory(Category)]
    public bool? Compiled_Verdict() => RecordSchema.For(Offers.Schema).CompiledVerdict(Body());

    [Benchmark(Description = "ours: RecordSchema.Validate (valid)"), BenchmarkCategory(Category)]
    public int Ours_Validate() => RecordSchema.For(Offers.Schema).Validate(Body()).Count;

    [Benchmark(Description = "ours: RecordSchema.Validate (invalid, errors listed)"), BenchmarkCategory(Category)]
    public int Ours_Validate_Invalid() => RecordSchema.For(Offers.Schema).Validate(_invalid[_next++ % Samples]).Count;
}
