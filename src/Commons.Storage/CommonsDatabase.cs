using System.Globalization;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// The node's one LiteDB file and the lock that makes this process its only user.
/// Holds the write gate: every multi-collection write runs inside <see cref="Write{T}"/> so it commits or rolls back whole.
/// </summary>
public sealed class CommonsDatabase : IDisposable
{
    public const string FileName = "commons.db";
    public const string LockFileName = "commons.lock";

    private readonly FileStream _lock;
    private readonly object _writeGate = new();

    public LiteDatabase Db { get; }
    public string DataDirectory { get; }
    public string FilePath { get; }

    private CommonsDatabase(string dataDirectory, FileStream @lock, LiteDatabase db)
    {
        DataDirectory = dataDirectory;
        FilePath = Path.Combine(dataDirectory, FileName);
        _lock = @lock;
        Db = db;
    }

    /// <summary>Opens (or creates) the store in <paramref name="dataDirectory"/>; fails with <see cref="StoreLockedException"/> if another process has it.</summary>
    public static CommonsDatabase Open(string dataDirectory)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var lockFile = TryLock(dataDirectory) ?? throw new StoreLockedException(dataDirectory);
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
            try { database.CreateSharedCollections(); }
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
        var missing = StoreLayout.Shared.Where(name => !Db.CollectionExists(name)).ToList();
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
    public T Write<T>(Func<T> work)
    {
        lock (_writeGate)
        {
            if (!Db.BeginTrans()) throw new InvalidOperationException("a transaction is already open on this thread");
            try
            {
                var result = work();
                Db.Commit();
                return result;
            }
            catch
            {
                Db.Rollback();
                throw;
            }
        }
    }

    public void Write(Action work) => Write(() => { work(); return 0; });

    /// <summary>
    /// Runs a read that must not overlap a write: LiteDB 5 can corrupt its shared page cache when a range query runs while
    /// another thread's write transaction rolls back or commits ("share counter must be > 0", "pages in memory store must be
    /// non-shared" were seen under a backfill). Such reads take the write gate; they are short, so the cost is small.
    /// The result must be materialised inside (no lazy enumerables).
    /// </summary>
    public T Read<T>(Func<T> read)
    {
        lock (_writeGate) return read();
    }

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
            if (!Db.BeginTrans()) throw new InvalidOperationException("a transaction is already open on this thread");
            try
            {
                var names = Db.GetCollectionNames().ToList();
                foreach (var name in names) Db.GetCollection(name).FindById(BsonValue.MinValue);
                return new StoreSnapshot(Db, names);
            }
            catch
            {
                Db.Rollback();
                throw;
            }
        }
    }

    public void Dispose()
    {
        Db.Dispose();
        _lock.Dispose();
    }
}

public sealed class StoreLockedException(string dataDirectory)
    : Exception($"the data folder {dataDirectory} is in use by another process (is the node running?)");

/// <summary>A read-only view of the store at one point in time; see <see cref="CommonsDatabase.BeginSnapshot"/>.</summary>
public sealed class StoreSnapshot : IDisposable
{
    private readonly LiteDatabase _db;

    internal StoreSnapshot(LiteDatabase db, IReadOnlyList<string> collections) => (_db, Collections) = (db, collections);

    /// <summary>The collections that existed when the snapshot began; collections created later are not part of it.</summary>
    public IReadOnlyList<string> Collections { get; }

    public void Dispose() => _db.Rollback();
}
