using System.Net;
using Commons.Core.Federation;

namespace Commons.Federation.Http;

/// <summary>
/// Domain block list and allow-list mode. Names are compared case-insensitively in their punycode (IDNA) form
/// without port or trailing dot; an entry covers the domain and all its subdomains (block <c>bad.example</c>
/// and <c>x.bad.example</c> is blocked too). Blocking wins over allowing. IP literals match only themselves.
/// An instance is an immutable snapshot; the node's current one comes from <see cref="DomainPolicyProvider"/>.
/// </summary>
public sealed class DomainPolicy
{
    private readonly FederationMode _mode;
    private readonly HashSet<string> _allowed;
    private readonly HashSet<string> _blocked;

    public DomainPolicy(FederationMode mode, IEnumerable<string>? allowedDomains = null, IEnumerable<string>? blockedDomains = null)
    {
        _mode = mode;
        _allowed = ToSet(allowedDomains, nameof(allowedDomains));
        _blocked = ToSet(blockedDomains, nameof(blockedDomains));
    }

    public DomainPolicy(FederationOptions options)
        : this(options?.Mode ?? throw new ArgumentNullException(nameof(options)), options.AllowedDomains, options.BlockedDomains)
    {
    }

    public FederationMode Mode => _mode;

    public bool IsAllowed(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri && IsAllowed(uri.Host);
    }

    /// <summary>
    /// Whether requests to <paramref name="host"/> (a name or IP literal, optionally with a port) may be made.
    /// A host that cannot be normalised is not allowed.
    /// </summary>
    public bool IsAllowed(string host)
    {
        if (!TryNormalize(host, out var name))
        {
            return false;
        }
        if (Matches(name, _blocked))
        {
            return false;
        }
        return _mode == FederationMode.Open || Matches(name, _allowed);
    }

    /// <summary>
    /// Lower-case punycode form of a host without port, brackets or trailing dot ("Bücher.Example:443" →
    /// "xn--bcher-kva.example"; "[::1]:80" → "::1"); see <see cref="DomainNames.TryNormalizeHost"/>.
    /// </summary>
    public static bool TryNormalize(string? host, out string normalized) => DomainNames.TryNormalizeHost(host, out normalized);

    private static bool Matches(string name, HashSet<string> entries)
    {
        if (entries.Count == 0)
        {
            return false;
        }
        if (entries.Contains(name))
        {
            return true;
        }
        if (IPAddress.TryParse(name, out _))
        {
            return false;
        }
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (entries.Contains(name[(dot + 1)..]))
            {
                return true;
            }
        }
        return false;
    }

    private static HashSet<string> ToSet(IEnumerable<string>? domains, string parameterName)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in domains ?? [])
        {
            // "*.bad.example" and ".bad.example" mean what "bad.example" means.
            if (!DomainNames.TryNormalizeEntry(entry, out var name))
            {
                throw new ArgumentException($"'{entry}' is not a domain name.", parameterName);
            }
            set.Add(name);
        }
        return set;
    }
}
