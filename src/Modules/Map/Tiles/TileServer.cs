using System.Net;
using Commons.Core.Kinds;
using Commons.Modules.Map.Kinds;

namespace Commons.Modules.Map.Tiles;

/// <summary>
/// A tile server an administrator configured for the map: its address template (<c>https://tile.example/{z}/{x}/{y}.png</c>)
/// and the attribution its licence asks to show, who set it and when. Off (no tile server) by default.
/// </summary>
public sealed record TileServer(string UrlTemplate, string Attribution, string SetBy, DateTimeOffset SetAt)
{
    public const int MaxTemplateLength = 300;
    public const int MaxAttributionLength = 200;

    /// <summary>The origin the pages load tiles from (<c>https://tile.example</c>): what the CSP admits.</summary>
    public string Origin => new Uri(Url(0, 0, 0)).GetLeftPart(UriPartial.Authority);

    /// <summary>The address of one tile.</summary>
    public string Url(int z, int x, int y) => UrlTemplate
        .Replace("{z}", z.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{x}", x.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{y}", y.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// Checks what an administrator gives, and answers it trimmed; a <see cref="RuleViolationException"/> with
    /// <see cref="MapCodes.InvalidTileServer"/> names what is wrong. The address is https (http only on loopback, for a
    /// test), absolute, without user information or fragment, with {z}, {x} and {y} once each in its path or query (never
    /// in the host, which the CSP must know) and no other braces; the attribution is one line of plain text.
    /// </summary>
    public static (string Template, string Attribution) Validate(string? template, string? attribution)
    {
        template = template?.Trim() ?? "";
        attribution = attribution?.Trim() ?? "";
        if (template.Length == 0) throw Invalid("urlTemplate", "a tile server needs its address template");
        if (template.Length > MaxTemplateLength) throw Invalid("urlTemplate", $"the address template is longer than {MaxTemplateLength} characters");
        foreach (var part in new[] { "{z}", "{x}", "{y}" })
            if (Count(template, part) != 1) throw Invalid("urlTemplate", $"the address template holds {part} once (it holds it {Count(template, part)} times)");
        var filled = template.Replace("{z}", "1", StringComparison.Ordinal).Replace("{x}", "2", StringComparison.Ordinal).Replace("{y}", "3", StringComparison.Ordinal);
        if (filled.IndexOfAny(['{', '}']) >= 0) throw Invalid("urlTemplate", "the address template holds only {z}, {x} and {y} between braces");
        if (filled.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or ';' or ',' or '<' or '>' or '\\' or '`'))
            throw Invalid("urlTemplate", "the address template holds a space, a quote or a character an address does not carry");
        if (!Uri.TryCreate(filled, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            throw Invalid("urlTemplate", "the address template is no absolute https address");
        if (uri.Scheme == "http" && !IsLoopback(uri.Host)) throw Invalid("urlTemplate", "a tile server is reached over https (http only on this machine's loopback)");
        if (uri.UserInfo.Length > 0 || Authority(template).Contains('@'))
            throw Invalid("urlTemplate", "the address template carries no user name or password");
        if (Authority(template).Contains('{')) throw Invalid("urlTemplate", "{z}, {x} and {y} go in the path or query, not the host");
        if (uri.Fragment.Length > 0 || template.Contains('#')) throw Invalid("urlTemplate", "the address template carries no fragment (#)");
        if (attribution.Length == 0) throw Invalid("attribution", "a tile server's attribution is shown under the map: its licence asks for it");
        if (attribution.Length > MaxAttributionLength) throw Invalid("attribution", $"the attribution is longer than {MaxAttributionLength} characters");
        if (attribution.Any(char.IsControl)) throw Invalid("attribution", "the attribution is one line of text");
        return (template, attribution);
    }

    private static string Authority(string template)
    {
        var start = template.IndexOf("://", StringComparison.Ordinal) is var i and >= 0 ? i + 3 : 0;
        var end = template.IndexOfAny(['/', '?'], start);
        return end < 0 ? template[start..] : template[start..end];
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private static RuleViolationException Invalid(string path, string detail) => new(MapCodes.InvalidTileServer, "Invalid tile server", detail, path);
}
