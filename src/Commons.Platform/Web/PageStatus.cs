using Microsoft.AspNetCore.Http;

namespace Commons.Platform.Web;

/// <summary>
/// Gives a rendered page (the node's or a module's) an error status (400, 403, 404, 409, 410) while still sending the page, with its explanation,
/// as the body. Set while rendering, a 404 makes Blazor leave the body to the host's UseStatusCodePages, which answers
/// with its bare "Status Code: 404; Not Found"; so the status is put on the response only when it starts, after the
/// page is rendered. The last status a page sets wins; a redirect (a page that navigated away) is left alone.
/// </summary>
public static class PageStatus
{
    private static readonly object Key = new();

    /// <summary>The status the page has set, if any.</summary>
    public static int? Of(HttpContext http) => http.Items.TryGetValue(Key, out var status) ? (int?)status : null;

    public static void Set(HttpContext http, int status)
    {
        var first = !http.Items.ContainsKey(Key);
        http.Items[Key] = status;
        if (!first) return;
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode is < 300 or >= 400 && http.Items[Key] is int latest) http.Response.StatusCode = latest;
            return Task.CompletedTask;
        });
    }
}
