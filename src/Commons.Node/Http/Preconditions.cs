using Commons.Core.Errors;

namespace Commons.Node.Http;

/// <summary>Reads <c>If-Match</c>: a revision ETag such as <c>"3"</c> (weak or strong), or <c>*</c> / absent for "any".</summary>
public static class Preconditions
{
    public static long? ExpectedRevision(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0 || value == "*") return null;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        if (value.Length >= 3 && value[0] == '"' && value[^1] == '"' && long.TryParse(value[1..^1], out var revision) && revision > 0)
            return revision;
        throw ValidationException.For("If-Match", "an ETag this node gave out, such as \"3\"");
    }

    /// <summary>True when <c>If-None-Match</c> names the current ETag (weak comparison, lists and <c>*</c> included).</summary>
    public static bool NoneMatch(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.SelectMany(v => (v ?? "").Split(','))
            .Select(t => t.Trim())
            .Any(t => t == "*" || (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == etag);
}
