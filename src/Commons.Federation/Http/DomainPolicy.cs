using System.Globalization;
using System.Net;

namespace Commons.Federation.Http;

/// <summary>
/// Domain block list and allow-list mode. Names are compared case-insensitively in their punycode (IDNA) form
/// without port or trailing dot; an entry covers the domain and all its subdomains (block <c>bad.example</c>
/// and <c>x.bad.example</c> is blocked too). Blocking wins over allowing. IP literals match only themselves.
/// </summary>
public sealed class DomainPolicy
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

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
    /// "xn--bcher-kva.example"; "[::1]:80" → "::1").
    /// </summary>
    public static bool TryNormalize(string? host, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }
        var text = host.Trim();
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(text[1..close], out var v6))
            {
                return false;
            }
            normalized = v6.ToString().ToLowerInvariant();
            return true;
        }
        if (IPAddress.TryParse(text, out var bare) && bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            normalized = bare.ToString().ToLowerInvariant();
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
            text = text[..colon];
        }
        text = text.TrimEnd('.');
        if (text.Length == 0)
        {
            return false;
        }
        try
        {
            normalized = Idn.GetAscii(text.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }
        return Uri.CheckHostName(normalized) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

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
            var text = entry?.Trim() ?? "";
            text = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text.TrimStart('.');
            if (!TryNormalize(text, out var name))
            {
                throw new ArgumentException($"'{entry}' is not a domain name.", parameterName);
            }
            set.Add(name);
        }
        return set;
    }
}
