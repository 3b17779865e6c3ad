using Microsoft.Extensions.Primitives;

namespace Commons.Node.Http;

/// <summary>
/// Gives the node's cookies names no other node on the same host can use. Browsers keep cookies per host, not per
/// port or scheme, so two nodes on 127.0.0.1 (the README's two-node quickstart) would overwrite each other's sign-in.
/// Over HTTPS a name gets the <c>__Host-</c> prefix (the browser then insists on Secure, Path=/ and no Domain, so no
/// other origin on the host can set it); over plain HTTP — only sensible on loopback, for trials and tests — it gets
/// the port the browser addressed (<c>port5080-commons_ui</c>), which is what tells two local nodes apart.
/// The code keeps one logical name per cookie (antiforgery and cookie authentication take a fixed name at start),
/// and this middleware translates at the edge: the request's wire names become logical ones, a logical name arriving
/// bare is dropped (it may be another node's, or an older version's), and each Set-Cookie is renamed as it leaves.
/// </summary>
public static class CookieNames
{
    public const string SignIn = "commons_ui";
    public const string Antiforgery = "commons_af";
    public const string Language = "commons_lang";

    private static readonly string[] Logical = [SignIn, Antiforgery, Language];

    /// <summary>What a browser stores for <paramref name="logical"/> when it talks to this request's scheme and port.</summary>
    public static string OnTheWire(HttpRequest request, string logical) => Prefix(request) + logical;

    private static string Prefix(HttpRequest request) =>
        request.IsHttps ? "__Host-" : $"port{request.Host.Port ?? 80}-";

    /// <summary>Placed after the forwarded headers, so that the scheme is the one the browser used.</summary>
    public static IApplicationBuilder UseCookieNames(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var prefix = Prefix(http.Request);
        if (http.Request.Headers.Cookie is { Count: > 0 } cookie) http.Request.Headers.Cookie = ToLogical(cookie, prefix);
        http.Response.OnStarting(() =>
        {
            if (http.Response.Headers.SetCookie is { Count: > 0 } set) http.Response.Headers.SetCookie = ToWire(set, prefix);
            return Task.CompletedTask;
        });
        await next();
    });

    // The sign-in cookie may come in chunks (commons_uiC1, commons_uiC2): any name that starts with a logical one is ours.
    private static bool IsOurs(string name) => Logical.Any(l => name.StartsWith(l, StringComparison.Ordinal));

    private static StringValues ToLogical(StringValues headers, string prefix)
    {
        var kept = new List<string>();
        foreach (var header in headers)
        foreach (var pair in (header ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            if (name.StartsWith(prefix, StringComparison.Ordinal) && IsOurs(name[prefix.Length..])) kept.Add(pair[prefix.Length..]);
            else if (!IsOurs(name)) kept.Add(pair);
        }
        return string.Join("; ", kept);
    }

    private static StringValues ToWire(StringValues setCookies, string prefix)
    {
        var renamed = new string?[setCookies.Count];
        for (var i = 0; i < setCookies.Count; i++)
        {
            var value = setCookies[i];
            var eq = value?.IndexOf('=') ?? -1;
            renamed[i] = eq > 0 && IsOurs(value![..eq]) ? prefix + value : value;
        }
        return new StringValues(renamed);
    }
}
