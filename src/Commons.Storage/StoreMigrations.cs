using System.Globalization;
using Commons.Core.Store;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Storage;

/// <summary>One numbered change of the store's layout: <see cref="Apply"/> runs in the transaction that records <see cref="To"/>.</summary>
public sealed record LayoutStep(int To, string Description, Action<LiteDatabase> Apply);

/// <summary>
/// The store's layout version, kept in <c>meta/layout</c>, and the numbered steps that bring an older store to the
/// current one when the node or the CLI opens it. Before the first step a backup of the whole store is written to
/// <c>{data}/backups/before-layout-v{from}-to-v{to}-{time}.cbak</c> (its path is in the log line). Each step commits
/// with the new version in one transaction, so a crash between steps resumes at the step that did not commit. A store
/// without the document is version 0 (written before versions existed) unless it is empty, which starts at the current
/// version. A store newer than this code is not opened (<see cref="StoreTooNewException"/>).
/// </summary>
public sealed class StoreMigrations(ILogger? log = null, TimeProvider? clock = null, IReadOnlyList<LayoutStep>? steps = null)
{
    internal const string MetaCollection = "meta";
    internal const string LayoutDocumentId = "layout";
    public const string BackupFolder = "backups";

    /// <summary>The layout steps of this release, in order.</summary>
    public static readonly IReadOnlyList<LayoutStep> Layout =
    [
        // The first versioned layout is the one v0 stores already have: the step only starts keeping the version.
        new(1, "the layout version is kept in meta/layout", _ => { }),
    ];

    public static int CurrentVersion => Layout[^1].To;

    private readonly ILogger _log = log ?? NullLogger.Instance;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly IReadOnlyList<LayoutStep> _steps = steps ?? Layout;

    private int Latest => _steps.Count == 0 ? 0 : _steps[^1].To;

    /// <summary>The layout version recorded in the store, or null if none is (a store written before versions).</summary>
    public static int? VersionOf(CommonsDatabase database) => database.Read(() =>
        database.Db.GetCollection(MetaCollection).FindById(LayoutDocumentId) is { } d ? d["version"].AsInt32 : (int?)null);

    internal void Run(CommonsDatabase database, bool fresh)
    {
        var recorded = VersionOf(database);
        if (recorded is null && fresh)
        {
            database.Write(() => SetVersion(database.Db, Latest));
            return;
        }
        var from = recorded ?? 0;
        if (from > Latest) throw new StoreTooNewException(database.DataDirectory, from, Latest);
        if (from == Latest) return;

        var now = _clock.GetUtcNow();
        var backup = Path.Combine(database.DataDirectory, BackupFolder,
            $"before-layout-v{from}-to-v{Latest}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.cbak");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        var node = database.Read(() => database.Db.GetCollection("node").FindById("node")?["name"].AsString) ?? "uninitialised node";
        Backup.Write(database, backup, node, now);
        _log.LogWarning("Store layout v{From} is older than this release's v{To}: backup written to {Backup} before migrating", from, Latest, backup);

        foreach (var step in _steps.Where(s => s.To > from))
        {
            database.Write(() =>
            {
                step.Apply(database.Db);
                SetVersion(database.Db, step.To);
            });
            _log.LogWarning("Store layout migrated to v{Version}: {Description}", step.To, step.Description);
        }
    }

    private static void SetVersion(LiteDatabase db, int version) =>
        db.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = LayoutDocumentId, ["version"] = version });
}
