namespace Commons.Node.Web.Members;

/// <summary>Gives a rendered page an error status (403, 404, 410) while still sending the page, with its explanation, as the body.</summary>
public static class PageStatus
{
    public static void Set(HttpContext http, int status)
    {
        // Set when the response starts: the page's own text is the body, not the bare status-code page.
        http.Response.OnStarting(() =>
        {
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        });
    }
}
