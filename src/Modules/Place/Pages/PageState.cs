using Microsoft.AspNetCore.Http;

namespace Commons.Modules.Place.Pages;

/// <summary>
/// A page's error status (400, 403, 404, 409, 422), put on the response only when it starts: set while rendering, a 404
/// would make Blazor hand the body to the host's bare status page instead of the page's own explanation.
/// </summary>
internal static class PageState
{
    private static readonly object Key = new();

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
