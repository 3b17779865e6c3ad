using Commons.Core.Store;
using Commons.Storage;
using Microsoft.Extensions.Options;

namespace Commons.Node.Hosting;

/// <summary>
/// The one place the host names its storage backend (LiteDB, <see cref="LiteDbStorage"/>). Everywhere else the host and
/// the CLI use Core's ports: the stores, <see cref="IStoreReadiness"/>, <see cref="IStoreBackup"/>, <see cref="IStoreCheck"/>,
/// <see cref="IStoreFolder"/>. A test (StorageSeamTests) keeps it so.
/// </summary>
public static class StorageBackend
{
    /// <summary>The data folder's operations that need no open store: is a node holding it, restore a backup into it.</summary>
    public static IStoreFolder Folder => LiteDbStorage.Folder;

    public static IServiceCollection AddStorage(this IServiceCollection services) =>
        services.AddLiteDbStorage(sp => sp.GetRequiredService<IOptions<NodeOptions>>().Value.DataDirectory);
}
