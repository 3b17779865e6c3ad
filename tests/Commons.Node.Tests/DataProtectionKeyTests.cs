using Commons.Node.Hosting;
using Commons.Node.Tests.Support;
using Microsoft.AspNetCore.DataProtection;

namespace Commons.Node.Tests;

/// <summary>The keys behind form tokens and one-time cookies live in the node's data folder and outlive a restart.</summary>
public sealed class DataProtectionKeyTests
{
    private sealed class NodeOn(string dataDirectory) : NodeFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Commons:DataDirectory", dataDirectory)];
    }

    [Fact]
    public async Task Keys_are_kept_in_the_data_folder_readable_only_by_the_node_and_open_what_they_protected_after_a_restart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "commons-node-tests", Guid.NewGuid().ToString("N"));
        string sealedText;
        await using (var first = new NodeOn(folder))
        {
            _ = first.Address;
            sealedText = first.Service<IDataProtectionProvider>().CreateProtector("test").Protect("kept");
        }

        var keys = NodeDataProtection.KeysPath(folder);
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));

        await using var second = new NodeOn(folder);
        _ = second.Address;
        Assert.Equal("kept", second.Service<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
        // Another node's folder has its own key ring: what this node protected does not open there.
        await using var other = new NodeFactory();
        _ = other.Address;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => other.Service<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
        Directory.Delete(folder, recursive: true);
    }
}
