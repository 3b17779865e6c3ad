using System.Reflection;

namespace Commons.Node.Web.Admin;

/// <summary>The running node's version, as the build stamped it (informational version without the source hash).</summary>
public static class NodeVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var assembly = typeof(NodeVersion).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational is { Length: > 0 } v ? v.Split('+')[0] : assembly.GetName().Version?.ToString() ?? "?";
    }
}
