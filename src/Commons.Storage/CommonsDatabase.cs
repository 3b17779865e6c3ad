using System.Globalization;
using Commons.Core.Store;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// The node's one LiteDB file and the lock that makes this process its only user.
/// Holds the write gate: every multi-collection write runs inside <see cref="Write{T}"/> so it commits or rolls back whole.
/// <para>
/// The one rule for reads that overlap writes: LiteDB is reached only inside <see cref="Read{T}"/>, <see cref="Write{T}"/>
/// or a <see cref="BeginSnapshot">snapshot</see> on the same thread. <see cref="Db"/> throws anywhere else, so a store
/// that forgets the rule fails its first test instead of corrupting the page cache under load (see <see cref="Read{T}"/>).
/// </para>
/// </summary>
public sealed class CommonsDatabase : IDisposable
{
    public const string FileName = "commons.db";
    public const string LockFileName = "commons.lock";

    private readonly FileStream _lock;
    private readonly object _writeGate = new();
    private readonly LiteDatabase _db;
    private readonly ThreadLocal<bool> _inSnapshot = new();

    /// <summary>
    /// Each dataset's feed head (live count, last sequence number) as the transactions so far left it, so a write reads
    /// neither. Reached only under the write gate; emptied whenever a transaction rolls back, so a head changed by a write
    /// that did not commit is never used again (the next write loads it from the file). A reopened store starts empty.
    /// </summary>
    internal Dictionary<int, FeedHead> Heads { get; } = [];

    private long _datasetsEpoch;

    /// <summary>
    /// The LiteDB engine, only inside <see cref="Read{T}"/>, <see cref="Write{T}"/> or a snapshot on this thread. Whoever is
    /// handed it may write any collection, the datasets included, and may keep it past the gate (tests that tamper with the
    /// stored documents do), so handing it out under the gate moves <see cref="DatasetsEpoch"/>.
    /// </summary>
    public LiteDatabase Db
    {
        get
        {
            var db = Engine;
            if (Monitor.IsEntered(_writeGate)) _datasetsEpoch++;
            return db;
        }
    }

    /// <summary>
    /// The engine for this assembly's stores, which write a dataset document only inside a <see cref="Write{T}"/> that moves
    /// <see cref="DatasetsEpoch"/> when it ends: handing it out leaves the epoch as it is, so what every request reads (tokens,
    /// members, the node, records, the feed, federation state) does not cost the next create its dataset look-up.
    /// Same rule as <see cref="Db"/>: only under the gate or in a snapshot.
    /// </summary>
    internal LiteDatabase Engine => Monitor.IsEntered(_writeGate) || _inSnapshot.Value
        ? _db
        : throw new InvalidOperationException("LiteDB is reached only inside CommonsDatabase.Read, Write or a snapshot (a read that overlaps a write can corrupt its page cache)");

    /// <summary>
    /// Moves whenever a dataset document may have changed: at every hand-out of <see cref="Db"/> under the gate and at the end
    /// of every <see cref="Write{T}"/> that is not a record write. A dataset decoded at one epoch is trusted only while the
    /// epoch stays the same (<see cref="LiteDatasetStore"/>). Read and moved only under the write gate.
    /// </summary>
    internal long DatasetsEpoch => _datasetsEpoch;
    /// <summary>True on a thread inside a snapshot, whose reads see the snapshot and must not fill or use what is kept in memory.</summary>
    internal bool InSnapshot => _inSnapshot.Value;

    public string DataDirectory { get; }
    public string FilePath { get; }

    private CommonsDatabase(string dataDirectory, FileStream @lock, LiteDatabase db)
    {
        DataDirectory = dataDirectory;
        FilePath = Path.Combine(dataDirectory, FileName);
        _lock = @lock;
        _db = db;
    }

    /// <summary>
    /// Opens (or creates) the store in <paramref name="dataDirectory"/> and brings its layout to <see cref="StoreMigrations.CurrentVersion"/>
    /// (<see cref="StoreMigrations"/>: a backup first, then each step). Fails with <see cref="StoreInUseException"/> if another
    /// process has it, and with <see cref="StoreTooNewException"/> if a newer release wrote it.
    /// </summary>
    public static CommonsDatabase Open(string dataDirectory, StoreMigrations? migrations = null)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var lockFile = TryLock(dataDirectory) ?? throw new StoreInUseException(dataDirectory);
        try
        {
            var cs = new ConnectionString
            {
                Filename = Path.Combine(dataDirectory, FileName),
                Connection = ConnectionType.Direct,
                // Ordinal comparison: record ids "A" and "a" are different, and sorting does not depend on the machine's culture.
                Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
            };
            var db = new LiteDatabase(cs) { UtcDate = true };
            var database = new CommonsDatabase(dataDirectory, lockFile, db);
            try
            {
                var fresh = database.Read(() => !database.Db.GetCollectionNames().Any());
                database.CreateSharedCollections();
                (migrations ?? new StoreMigrations()).Run(database, fresh);
                database.Read(() => database.Heads.Clear()); // a migration step may have written what a head summarises
            }
            catch { db.Dispose(); throw; }
            return database;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the shared collections of <see cref="StoreLayout"/> if they are missing, so they exist before any snapshot
    /// begins (a snapshot pins only the collections that exist when it starts). LiteDB has no "create collection": one
    /// is created by its first write, here a placeholder document inserted and deleted in the same transaction.
    /// </summary>
    private void CreateSharedCollections()
    {
        var missing = Read(() => StoreLayout.Shared.Where(name => !Db.CollectionExists(name)).ToList());
        if (missing.Count == 0) return;
        Write(() =>
        {
            foreach (var name in missing)
            {
                var col = Db.GetCollection(name);
                col.Insert(new BsonDocument { ["_id"] = 0 });
                col.Delete(0);
            }
        });
    }

    /// <summary>True if a process (a running node) holds the store of this folder.</summary>
    public static bool IsInUse(string dataDirectory)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        if (!Directory.Exists(dataDirectory)) return false;
        using var l = TryLock(dataDirectory);
        return l is null;
    }

    private static FileStream? TryLock(string dataDirectory)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second node or CLI on the same folder fails here.
            return new FileStream(Path.Combine(dataDirectory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, serialised with every other write.</summary>
    public T Write<T>(Func<T> work) => Write(work, keepsDatasets: false);

    /// <param name="keepsDatasets">
    /// True only for a write that reaches the engine through <see cref="Engine"/> alone and never writes a dataset document
    /// (a record and its change): it leaves <see cref="DatasetsEpoch"/> as it is. Any other write moves it when it ends,
    /// committed or not, even if it wrote through a handle it was given before the gate was taken.
    /// </param>
    internal T Write<T>(Func<T> work, bool keepsDatasets)
    {
        lock (_writeGate)
        {
            if (!_db.BeginTrans()) throw new InvalidOperationException("a transaction is already open on this thread");
            try
            {
                var result = work();
                _db.Commit();
                return result;
            }
            catch
            {
                Heads.Clear();
                _db.Rollback();
                throw;
            }
            finally
            {
                if (!keepsDatasets) _datasetsEpoch++;
            }
        }
    }

    public void Write(Action work) => Write(() => { work(); return 0; });

    /// <inheritdoc cref="Write{T}(Func{T}, bool)"/>
    internal void Write(Action work, bool keepsDatasets) => Write(() => { work(); return 0; }, keepsDatasets);

    /// <summary>Parsed expressions of record listings, kept by shape for the next listing of this database.</summary>
    internal RecordQueryExpressionPool QueryExpressions { get; } = new();

    /// <summary>
    /// Runs a read that must not overlap a write: LiteDB 5 can corrupt its shared page cache when a range query runs while
    /// another thread's write transaction rolls back or commits ("share counter must be > 0", "pages in memory store must be
    /// non-shared" were seen under a backfill). Every read of every store takes the write gate here, point reads too: the
    /// same cache serves them, and one rule is one a reviewer can check. Reads and writes are short, so the wait is small.
    /// The result must be materialised inside (no lazy enumerables).
    /// </summary>
    public T Read<T>(Func<T> read)
    {
        lock (_writeGate) return read();
    }

    public void Read(Action read) => Read(() => { read(); return 0; });

    /// <summary>
    /// Starts a read-only transaction on this thread: until it is disposed, reads on this thread of the collections in
    /// <see cref="StoreSnapshot.Collections"/> see one consistent snapshot while writers on other threads go on.
    /// LiteDB 5 fixes a collection's read version when the transaction first touches that collection, not when it
    /// begins, so every collection is touched here while the write gate is held: no write commits in between.
    /// </summary>
    public StoreSnapshot BeginSnapshot()
    {
        lock (_writeGate)
        {
            if (!_db.BeginTrans()) throw new InvalidOperationException("a transaction is already open on this thread");
            try
            {
                var names = _db.GetCollectionNames().ToList();
                foreach (var name in names) _db.GetCollection(name).FindById(BsonValue.MinValue);
                _inSnapshot.Value = true;
                return new StoreSnapshot(this, names);
            }
            catch
            {
                _db.Rollback();
                throw;
            }
        }
    }

    internal void EndSnapshot()
    {
        _inSnapshot.Value = false;
        _db.Rollback();
    }

    public void Dispose()
    {
        _db.Dispose();
        _lock.Dispose();
        _inSnapshot.Dispose();
    }
}

/// <summary>
/// A read-only view of the store at one point in time; see <see cref="CommonsDatabase.BeginSnapshot"/>. Reads inside it go
/// without the write gate: they run in the snapshot's own read transaction, which writers' commits do not change (the
/// backup tests write throughout a snapshot).
/// </summary>
public sealed class StoreSnapshot : IDisposable
{
    private readonly CommonsDatabase _database;

    internal StoreSnapshot(CommonsDatabase database, IReadOnlyList<string> collections) => (_database, Collections) = (database, collections);

    /// <summary>The collections that existed when the snapshot began; collections created later are not part of it.</summary>
    public IReadOnlyList<string> Collections { get; }

    public void Dispose() => _database.EndSnapshot();
}
