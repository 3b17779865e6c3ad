using System.Net;

namespace Commons.Node.Hosting;

/// <summary>
/// The address peers reach the node at (every ActivityPub id starts with it), decided once at start.
/// <c>Commons:PublicUrl</c> when set; otherwise the first address the node listens on — which peers can use only
/// when it is loopback (one machine: the quickstart, tests). A node that listens beyond loopback without a public URL
/// would publish ids nobody can reach, so it does not federate (<see cref="MissingBecause"/>) until one is set.
/// </summary>
public sealed record PublicAddress(string Url, string? MissingBecause)
{
    /// <summary>Whether peers can reach the ids this node publishes, so that federation may run.</summary>
    public bool Federates => MissingBecause is null;

    /// <exception cref="NodeConfigurationException">Commons:PublicUrl is set but unusable.</exception>
    public static PublicAddress Resolve(NodeOptions options, IConfiguration configuration)
    {
        var listening = ListenUrls(configuration);
        if (!string.IsNullOrWhiteSpace(options.PublicUrl))
            return new PublicAddress(Check(options.PublicUrl.Trim(), configuration.GetValue("Federation:AllowPrivateNetworks", false)), null);

        var first = listening.FirstOrDefault() ?? WebHost.DefaultUrl;
        var url = first.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").TrimEnd('/');
        var beyond = listening.Where(u => !IsLoopback(HostOf(u))).ToList();
        return beyond.Count == 0
            ? new PublicAddress(url, null)
            : new PublicAddress(url, $"the node listens beyond this machine ({string.Join(", ", beyond)}) but Commons:PublicUrl is not set; " +
                                     "set it to the address peers reach the node at (e.g. https://commons.example.org) and restart");
    }

    /// <summary>The http(s) addresses the node listens on: <c>urls</c> (or its default) and any Kestrel endpoint.</summary>
    public static IReadOnlyList<string> ListenUrls(IConfiguration configuration)
    {
        var urls = (configuration["urls"] is { Length: > 0 } configured ? configured : WebHost.DefaultUrl)
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var kestrel = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return urls.Concat(kestrel)
            .Where(u => u.StartsWith("http", StringComparison.OrdinalIgnoreCase) && !u.Contains("unix:", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>The host of a listen address, which may be a wildcard (<c>+</c>, <c>*</c>) that <see cref="Uri"/> refuses.</summary>
    public static string HostOf(string listenUrl)
    {
        var rest = listenUrl[(listenUrl.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.IndexOf('/');
        var authority = end < 0 ? rest : rest[..end];
        if (authority.StartsWith('[')) return authority[..(authority.IndexOf(']') + 1)];
        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1; a wildcard (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) is every interface.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// An absolute http(s) URL of a host only (no path, query, fragment or credentials); https unless its host is
    /// loopback or Federation:AllowPrivateNetworks is on (a trial on a local network), since peers expect https ids.
    /// </summary>
    private static string Check(string publicUrl, bool allowPrivateNetworks)
    {
        string Fail(string why) => throw new NodeConfigurationException($"Commons:PublicUrl '{publicUrl}' {why}");
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return Fail("is not an absolute http(s) URL such as https://commons.example.org");
        if (uri.UserInfo.Length > 0) return Fail("must not carry a user name or password");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return Fail("must be the node's root, without a path, query or fragment (https://commons.example.org)");
        if (uri.Scheme == "http" && !IsLoopback(uri.IdnHost) && !allowPrivateNetworks)
            return Fail("must use https (a reverse proxy terminates TLS; see the README), unless its host is loopback");
        return uri.GetLeftPart(UriPartial.Authority);
    }
}

/// <summary>A setting the node cannot start with; told in one line, and the process exits with 1.</summary>
public sealed class NodeConfigurationException(string message) : Exception(message);
