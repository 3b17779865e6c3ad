using Commons.Core.Errors;

namespace Commons.Core.Store;

/// <summary>The data folder is held by another process (a running node, or a CLI command against a stopped one).</summary>
public sealed class StoreInUseException(string dataDirectory)
    : IOException($"the data folder {dataDirectory} is in use by another process (is the node running?)")
{
    public string DataDirectory { get; } = dataDirectory;
}

/// <summary>A backup file that cannot be read or restored (damaged, another format, or a store in the way); nothing was written.</summary>
public sealed class BackupFileException(string message) : IOException(message);

/// <summary>
/// The store was written by a newer release than this code (its layout version is higher than the code knows): it is
/// not opened, so nothing written by the newer release is misread or lost. Upgrade the node, or restore a backup.
/// </summary>
public sealed class StoreTooNewException(string dataDirectory, int storeVersion, int codeVersion)
    : CommonsException(ProblemCodes.StoreTooNew, "Store too new",
        $"the store in {dataDirectory} has layout version {storeVersion}; this release reads up to version {codeVersion} (upgrade the node, or restore a backup made by this release)")
{
    public int StoreVersion { get; } = storeVersion;
    public int CodeVersion { get; } = codeVersion;
}
