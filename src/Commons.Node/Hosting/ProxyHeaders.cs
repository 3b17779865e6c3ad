using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Commons.Node.Hosting;

/// <summary>
/// Behind a reverse proxy, the client's address and scheme arrive in <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>.
/// They are believed only from the proxies named in <c>Commons:ForwardedHeaders:KnownProxies</c> (addresses) and
/// <c>KnownNetworks</c> (CIDR): anyone else could name any address and escape the per-address limits. Off when both are empty.
/// </summary>
public static class ProxyHeaders
{
    public const string Section = "Commons:ForwardedHeaders";

    /// <summary>The middleware's options, or null when no proxy is configured.</summary>
    /// <exception cref="NodeConfigurationException">An entry is not an IP address (proxies) or a CIDR network (networks).</exception>
    public static ForwardedHeadersOptions? From(IConfiguration configuration)
    {
        var proxies = Values(configuration.GetSection($"{Section}:KnownProxies"));
        var networks = Values(configuration.GetSection($"{Section}:KnownNetworks"));
        if (proxies.Count == 0 && networks.Count == 0) return null;

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through the chain while each hop is a known proxy; the first unknown one is the client.
            ForwardLimit = null,
        };
        // The defaults trust loopback; only what is configured is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var p in proxies)
            options.KnownProxies.Add(IPAddress.TryParse(p, out var ip) ? ip
                : throw new NodeConfigurationException($"{Section}:KnownProxies: '{p}' is not an IP address"));
        foreach (var n in networks)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(n, out var network) ? network
                : throw new NodeConfigurationException($"{Section}:KnownNetworks: '{n}' is not a network such as 172.16.0.0/12"));
        return options;
    }

    /// <summary>A list (<c>KnownProxies:0</c>, <c>KnownProxies:1</c>) or one value separated by commas (handy in an environment variable).</summary>
    private static List<string> Values(IConfigurationSection section) =>
        new[] { section.Value }.Concat(section.GetChildren().Select(c => c.Value))
            .SelectMany(v => (v ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
}
