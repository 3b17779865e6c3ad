using Commons.Core.Store;
using LiteDB;

namespace Commons.Storage;

/// <summary>
/// Opened when the node starts: the layout migrates as the store opens, then the datasets behind their kind's schema are
/// upgraded, once (not inside the store's own construction: the kinds come from the modules, which may use the store).
/// Ready when a small marker write commits (a full disk or a closed store fails it).
/// </summary>
internal sealed class LiteStoreReadiness(Lazy<CommonsDatabase> database, Lazy<IKindUpgrades> upgrades, TimeProvider clock) : IStoreReadiness
{
    private readonly Lock _opening = new();
    private bool _upgraded;

    public void Open()
    {
        _ = database.Value;
        lock (_opening)
        {
            if (_upgraded) return;
            upgrades.Value.Run();
            _upgraded = true;
        }
    }

    public bool CanWrite(out string? problem)
    {
        try
        {
            var db = database.Value;
            db.Write(() => db.Db.GetCollection(StoreMigrations.MetaCollection).Upsert(new BsonDocument { ["_id"] = "readiness", ["at"] = clock.GetUtcNow().UtcTicks }));
            problem = null;
            return true;
        }
        catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException)
        {
            problem = "the store is not writable";
            return false;
        }
    }
}

internal sealed class LiteStoreBackup(CommonsDatabase database) : IStoreBackup
{
    public BackupSummary Write(string path, string nodeName, DateTimeOffset now) => Backup.Write(database, path, nodeName, now);
}

internal sealed class LiteStoreCheck(CommonsDatabase database, IKindUpgrades upgrades) : IStoreCheck
{
    public StoreCheckReport Run() => StoreChecker.Run(database, upgrades.Pending().Select(p => p.ToString()).ToList());
}

internal sealed class LiteStoreFolder : IStoreFolder
{
    public bool IsInUse(string dataDirectory) => CommonsDatabase.IsInUse(dataDirectory);

    public BackupSummary Restore(string backupPath, string dataDirectory, bool replaceExisting, DateTimeOffset now) =>
        Backup.Restore(backupPath, dataDirectory, replaceExisting, now);
}
