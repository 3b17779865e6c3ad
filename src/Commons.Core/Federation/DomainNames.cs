using System.Globalization;
using System.Net;

namespace Commons.Core.Federation;

/// <summary>
/// How a host or a domain-rule entry is written once normalised: lower-case punycode (IDNA), without port, brackets or
/// trailing dot. The federation's domain policy, the rules an administrator edits and the store's integrity check all
/// read names through here, so that an entry is accepted exactly when the policy can apply it.
/// </summary>
public static class DomainNames
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    /// <summary>
    /// Lower-case punycode form of a host without port, brackets or trailing dot ("Bücher.Example:443" →
    /// "xn--bcher-kva.example"; "[::1]:80" → "::1"). False when it is not a host name or IP literal.
    /// </summary>
    public static bool TryNormalizeHost(string? host, out string normalized)
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

    /// <summary>
    /// A block- or allow-list entry: a host as <see cref="TryNormalizeHost"/> reads it, where "*.bad.example" and
    /// ".bad.example" mean what "bad.example" means (an entry always covers the domain and all its subdomains).
    /// </summary>
    public static bool TryNormalizeEntry(string? entry, out string normalized)
    {
        var text = entry?.Trim() ?? "";
        text = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text.TrimStart('.');
        return TryNormalizeHost(text, out normalized);
    }

    /// <summary>The readable (Unicode) form of a normalised name, for display: "xn--bcher-kva.example" → "bücher.example".</summary>
    public static string ToDisplay(string normalized)
    {
        if (IPAddress.TryParse(normalized, out _)) return normalized;
        try { return Idn.GetUnicode(normalized); }
        catch (ArgumentException) { return normalized; }
    }
}
