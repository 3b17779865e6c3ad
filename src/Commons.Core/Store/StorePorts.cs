namespace Commons.Core.Store;

/// <summary>Can the store take a write now? Behind <c>/readyz</c>: a node whose disk is full or whose store was closed is not ready.</summary>
public interface IStoreReadiness
{
    /// <summary>
    /// Opens the store now, if it is not open yet, so a folder in use (<see cref="StoreInUseException"/>) or a store
    /// too new (<see cref="StoreTooNewException"/>) stops the start with one line instead of failing a first request;
    /// then runs what the store waits for before serving (<see cref="IKindUpgrades.Run"/>), once.
    /// </summary>
    void Open();

    /// <summary>Writes a small marker and says whether it committed; <paramref name="problem"/> says why not.</summary>
    bool CanWrite(out string? problem);
}

/// <summary>A consistent copy of the whole open store, taken while the node keeps serving.</summary>
public interface IStoreBackup
{
    /// <summary>Writes the backup file at <paramref name="path"/> (complete or absent: never a partial file there).</summary>
    BackupSummary Write(string path, string nodeName, DateTimeOffset now);
}

/// <summary>The integrity scan behind <c>commons-node check</c>.</summary>
public interface IStoreCheck
{
    StoreCheckReport Run();
}

/// <summary>
/// The data folder, with no store open: whether a running node holds it, and restoring a backup into it (which needs
/// the node stopped).
/// </summary>
public interface IStoreFolder
{
    /// <summary>True if a process (a running node, or a CLI command) holds the store of <paramref name="dataDirectory"/>.</summary>
    bool IsInUse(string dataDirectory);

    /// <summary>
    /// Restores a checked backup into <paramref name="dataDirectory"/>; an existing store is kept beside it, renamed, never
    /// deleted. Throws <see cref="BackupFileException"/> for a damaged file or an existing store without <paramref name="replaceExisting"/>.
    /// </summary>
    BackupSummary Restore(string backupPath, string dataDirectory, bool replaceExisting, DateTimeOffset now);
}

public sealed record BackupSummary(string Node, DateTimeOffset CreatedAt, int Collections, long Documents);

/// <summary>
/// What <c>check</c> found. <see cref="Problems"/> are damage (the check fails); <see cref="Pending"/> are migrations the
/// store still waits for (a kind whose schema moved on, for example), reported without failing the check.
/// </summary>
public sealed record StoreCheckReport(int Datasets, long Records, long Changes, IReadOnlyList<string> Problems, IReadOnlyList<string> Pending)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Datasets of a kind whose schema moved on since their records were written (<c>KindVersion</c> below the kind's
/// <c>SchemaVersion</c>): each is brought to the kind's current version by <c>DatasetKind.Upgrade</c>, record by record,
/// in one transaction.
/// </summary>
public interface IKindUpgrades
{
    /// <summary>The datasets still behind their kind (what <c>check</c> reports as pending).</summary>
    IReadOnlyList<PendingKindUpgrade> Pending();

    /// <summary>
    /// Upgrades every dataset behind its kind, after a backup; a dataset whose upgrade fails is left whole at its version
    /// (and stays pending) while the others go on.
    /// </summary>
    IReadOnlyList<KindUpgradeOutcome> Run();
}

public sealed record PendingKindUpgrade(string Dataset, string Kind, int FromVersion, int ToVersion)
{
    public override string ToString() => $"dataset {Dataset} (kind {Kind}) is at schema version {FromVersion}; the kind is at {ToVersion}";
}

/// <summary>One dataset's upgrade: how many records changed (each with an update in the change feed), or why it failed.</summary>
public sealed record KindUpgradeOutcome(PendingKindUpgrade Upgrade, int RecordsChanged, string? Error);
