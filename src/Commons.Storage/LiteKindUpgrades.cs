using System.Globalization;
using Commons.Core.Changes;
using Commons.Core.Kinds;
using Commons.Core.Records;
using Commons.Core.Schemas;
using Commons.Core.Store;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Storage;

/// <summary>
/// Brings datasets behind their kind's schema to its current version (when the node starts, see <see cref="LiteStoreReadiness"/>). In one transaction per dataset: every live record
/// goes through <see cref="DatasetKind.Upgrade"/> once per version step; a record whose data changed gets a new revision
/// and an <see cref="ChangeKind.Update"/> in the feed, by <see cref="UpgradedBy"/>, so followers receive the new shape
/// through the ordinary fan-out and converge (a record the upgrade leaves as it was is not touched: no change, no
/// delivery); each record then goes through <see cref="DatasetKind.OnUpgraded"/>, so the kind's own documents catch up in the
/// same transaction; an upgraded record must meet the new schema, or the dataset's upgrade rolls back. Then the dataset takes
/// the kind's schema and version. A backup of the store comes first, under
/// <c>{data}/backups/before-kinds-{time}.cbak</c>.
/// </summary>
public sealed class LiteKindUpgrades(CommonsDatabase database, IDatasetKinds kinds, TimeProvider? clock = null, ILogger<LiteKindUpgrades>? log = null) : IKindUpgrades
{
    /// <summary>Who the change feed names for a record changed by an upgrade.</summary>
    public const string UpgradedBy = "commons-node:upgrade";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _log = log ?? NullLogger<LiteKindUpgrades>.Instance;

    public IReadOnlyList<PendingKindUpgrade> Pending() =>
        new LiteDatasetStore(database).List()
            .Select(d => (Dataset: d, Kind: d.Kind == DatasetKind.Custom ? null : kinds.Find(d.Kind)))
            .Where(x => x.Kind is not null && x.Dataset.KindVersion < x.Kind.SchemaVersion)
            .Select(x => new PendingKindUpgrade(x.Dataset.Slug, x.Kind!.Name, x.Dataset.KindVersion, x.Kind.SchemaVersion))
            .ToList();

    public IReadOnlyList<KindUpgradeOutcome> Run()
    {
        var pending = Pending();
        if (pending.Count == 0) return [];
        var now = _clock.GetUtcNow();
        var backup = Path.Combine(database.DataDirectory, StoreMigrations.BackupFolder,
            $"before-kinds-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.cbak");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        var node = database.Read(() => database.Db.GetCollection("node").FindById("node")?["name"].AsString) ?? "uninitialised node";
        Backup.Write(database, backup, node, now);
        _log.LogWarning("{Count} datasets are behind their kind's schema: backup written to {Backup} before upgrading them", pending.Count, backup);

        var outcomes = new List<KindUpgradeOutcome>();
        foreach (var upgrade in pending)
        {
            try
            {
                var changed = database.Write(() => Upgrade(upgrade, kinds.Find(upgrade.Kind)!, now));
                _log.LogWarning("Dataset {Dataset} upgraded from {Kind} v{From} to v{To}: {Changed} records changed", upgrade.Dataset, upgrade.Kind, upgrade.FromVersion, upgrade.ToVersion, changed);
                outcomes.Add(new KindUpgradeOutcome(upgrade, changed, null));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The kind's code failed (or refused a record): the transaction rolled back, the dataset stays whole at its version.
                _log.LogError(e, "Dataset {Dataset} could not be upgraded from {Kind} v{From}; it stays there (commons-node check lists it)", upgrade.Dataset, upgrade.Kind, upgrade.FromVersion);
                outcomes.Add(new KindUpgradeOutcome(upgrade, 0, e.Message));
            }
        }
        return outcomes;
    }

    private int Upgrade(PendingKindUpgrade upgrade, DatasetKind kind, DateTimeOffset now)
    {
        var datasets = database.Db.GetCollection(LiteDatasetStore.Collection);
        var doc = datasets.FindById(upgrade.Dataset);
        if (doc is null || (doc.TryGetValue("kindVersion", out var v) && v.IsInt32 ? v.AsInt32 : 0) != upgrade.FromVersion) return 0; // changed meanwhile
        var key = doc["key"].AsInt32;
        var records = database.Db.GetCollection(StoreLayout.Records);
        var schema = RecordSchema.For(kind.Schema);
        var changed = 0;
        var moduleData = new LiteModuleData(database.Db, kind.Module);
        foreach (var current in records.Find(StoreLayout.RecordsOf(key)).Select(RecordBson.FromBson).Where(r => !r.Deleted).ToList())
        {
            var data = current.Data;
            for (var from = upgrade.FromVersion; from < upgrade.ToVersion; from++) data = kind.Upgrade(from, data);
            kind.OnUpgraded(upgrade.Dataset, upgrade.FromVersion, current with { Data = data }, moduleData);
            if (data.GetRawText() == current.Data.GetRawText()) continue;
            schema.EnsureValid(data);
            var revision = current.Revision + 1;
            var change = ChangeLog.Append(database, key, new ChangeDraft(ChangeKind.Update, current.Id, revision, UpgradedBy, now));
            records.Upsert(RecordBson.ToBson(key, current with { Data = data, Revision = revision, UpdatedAt = now, UpdatedBy = UpgradedBy, Seq = change.Seq }));
            changed++;
        }
        doc["kindVersion"] = upgrade.ToVersion;
        doc["schema"] = kind.Schema;
        doc["version"] = doc["version"].AsInt64 + 1;
        doc["updatedAt"] = Bson.Time(now);
        datasets.Update(doc);
        return changed;
    }
}
