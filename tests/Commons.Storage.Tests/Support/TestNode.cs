using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;

namespace Commons.Storage.Tests.Support;

/// <summary>A clock the test moves by hand; safe to read from many threads.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;
    public bool AutoAdvance { get; set; }
    public override DateTimeOffset GetUtcNow() =>
        new(AutoAdvance ? Interlocked.Add(ref _ticks, TimeSpan.TicksPerMillisecond) : Interlocked.Read(ref _ticks), TimeSpan.Zero);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>A unique temporary folder, deleted with everything in it when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));
    public TempFolder() => Directory.CreateDirectory(Path);
    public string Sub(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A real LiteDB store in a temporary folder with the domain services wired over it, as the node wires them.</summary>
public sealed class TestNode : IDisposable
{
    public const TokenScopes AllScopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    public static readonly Caller Admin = new("root", MemberRole.Admin, AllScopes);

    private readonly TempFolder? _ownFolder;
    public string DataDirectory { get; }
    public ManualClock Clock { get; }
    public CommonsDatabase Database { get; private set; } = null!;
    public LiteDatasetStore DatasetStore { get; private set; } = null!;
    public LiteRecordStore RecordStore { get; private set; } = null!;
    public LiteChangeFeed Feed { get; private set; } = null!;
    public LiteMemberStore MemberStore { get; private set; } = null!;
    public LiteTokenStore TokenStore { get; private set; } = null!;
    public DatasetService Datasets { get; private set; } = null!;
    public RecordService Records { get; private set; } = null!;
    public MemberService Members { get; private set; } = null!;
    public RecordLimits Limits { get; } = new();
    /// <summary>Every committed-changes notice the services gave, in order.</summary>
    public RecordingChangeNotifier Notices { get; } = new();

    public IDatasetKinds Kinds { get; }
    public LiteModuleStore ModuleStore { get; private set; } = null!;

    public TestNode(string? dataDirectory = null, ManualClock? clock = null, IDatasetKinds? kinds = null)
    {
        Kinds = kinds ?? DatasetKindRegistry.Empty;
        if (dataDirectory is null) { _ownFolder = new TempFolder(); dataDirectory = _ownFolder.Sub("data"); }
        DataDirectory = dataDirectory;
        Clock = clock ?? new ManualClock(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        Open();
    }

    private void Open()
    {
        Database = CommonsDatabase.Open(DataDirectory);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        Feed = new LiteChangeFeed(Database);
        MemberStore = new LiteMemberStore(Database);
        TokenStore = new LiteTokenStore(Database);
        ModuleStore = new LiteModuleStore(Database);
        Datasets = new DatasetService(DatasetStore, RecordStore, MemberStore, Clock, Notices, Kinds);
        Records = new RecordService(Datasets, RecordStore, Feed, Limits, Clock, Notices, Kinds);
        Members = new MemberService(MemberStore, TokenStore, new PasswordHasher(1_000), Clock);
    }

    /// <summary>Closes and opens the store again, as a restarted node would.</summary>
    public void Reopen()
    {
        Database.Dispose();
        Open();
    }

    public Caller AddMember(string username, MemberRole role = MemberRole.Member)
    {
        Members.Register(username, null, "correct horse battery", role);
        return new Caller(username, role, AllScopes);
    }

    public Dataset CreateDataset(string slug, string? schema = null, SharingPolicy policy = SharingPolicy.Private, Caller? by = null) =>
        Datasets.Create(by ?? Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Schema = schema, Policy = policy });

    public static JsonElement Body(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public void Dispose()
    {
        Database.Dispose();
        _ownFolder?.Dispose();
    }
}

/// <summary>Records the dataset keys the services announce, and what the feed held when each notice came, read from another thread.</summary>
public sealed class RecordingChangeNotifier : IChangeNotifier
{
    private readonly List<(int DatasetKey, long? SeenSeq)> _notices = [];

    /// <summary>Read on another thread when a notice comes; it blocks while the write gate is held.</summary>
    public Func<int, long>? ReadFeed { get; set; }

    public void ChangesCommitted(int datasetKey)
    {
        long? seen = null;
        if (ReadFeed is { } read)
        {
            // Inside the write transaction the gate is held and the read never returns; after the commit it answers at once.
            // A thread of its own rather than the pool's: on a loaded CI machine a starved pool could leave it unstarted.
            long result = 0;
            var reader = new Thread(() => result = read(datasetKey)) { IsBackground = true };
            reader.Start();
            seen = reader.Join(TimeSpan.FromSeconds(30)) ? result : null;
        }
        lock (_notices) _notices.Add((datasetKey, seen));
    }

    public IReadOnlyList<(int DatasetKey, long? SeenSeq)> All
    {
        get { lock (_notices) return _notices.ToList(); }
    }
}

public static class Threads
{
    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> dedicated threads released together; rethrows what they threw.</summary>
    public static void Run(int count, Action<int> body)
    {
        using var start = new Barrier(count);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            try { start.SignalAndWait(); body(i); }
            catch (Exception e) { errors.Enqueue(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (!errors.IsEmpty) throw new AggregateException(errors);
    }
}

public static class RawStore
{
    /// <summary>
    /// The LiteDB engine for a test's own set-up and inspection on one thread (damaging a document, counting a range).
    /// Stores never do this: they reach LiteDB only inside <see cref="CommonsDatabase.Read{T}"/> or <see cref="CommonsDatabase.Write{T}"/>.
    /// </summary>
    public static LiteDB.LiteDatabase Raw(this CommonsDatabase database) => database.Read(() => database.Db);
}
