using Microsoft.AspNetCore.DataProtection;

namespace Commons.Node.Hosting;

/// <summary>
/// The keys that protect the node's form tokens and one-time cookies live in the node's own data folder
/// (<c>{DataDirectory}/keys</c>), not in the account's <c>~/.aspnet</c>: they move with the data folder, a container
/// keeps them on its data volume, and two nodes run by one account no longer share a key ring. The application name
/// is fixed so a key still opens what it protected after the folder moves.
/// </summary>
public static class NodeDataProtection
{
    public const string KeysFolder = "keys";

    public static IServiceCollection AddNodeDataProtection(this IServiceCollection services, NodeOptions options)
    {
        var folder = KeysPath(options.DataDirectory);
        Directory.CreateDirectory(folder);
        // Only the node's account reads the keys.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.AddDataProtection()
            .SetApplicationName("commons-node")
            .PersistKeysToFileSystem(new DirectoryInfo(folder));
        return services;
    }

    public static string KeysPath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), KeysFolder);
}
