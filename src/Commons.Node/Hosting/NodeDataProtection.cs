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
        // The framework's warm-up service reads (on a first start: creates) the key ring as the host starts, which loads
        // the XML stack (System.Private.Xml and friends, ~9 MiB resident: bench/README.md, issue 17 memory) into a node
        // that may serve no form for hours. The ring is read on the first protect or unprotect either way, so it waits.
        foreach (var warmUp in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == KeyRingWarmUp).ToList())
            services.Remove(warmUp);
        return services;
    }

    /// <summary>The framework's internal hosted service that loads the key ring at start (ASP.NET Core 10).</summary>
    internal const string KeyRingWarmUp = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    public static string KeysPath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), KeysFolder);
}
