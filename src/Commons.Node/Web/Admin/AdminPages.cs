using Commons.Node.Web.Components;

namespace Commons.Node.Web.Admin;

/// <summary>
/// What the administration pages add to the host: a member's POST to an /admin page is refused with 403 before any form
/// handler runs (a page renders no form for them, so the form post would otherwise be a 400), and the backup download.
/// </summary>
public static class AdminPages
{
    public static WebApplication UseAdminPages(this WebApplication app)
    {
        app.UseWhen(http => HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/admin")
                && http.User.Identity?.IsAuthenticated == true,
            admin => admin.Use(async (http, next) =>
            {
                if (PageAccess.Administer(http)) await next();
            }));
        app.MapBackupDownload();
        return app;
    }
}
