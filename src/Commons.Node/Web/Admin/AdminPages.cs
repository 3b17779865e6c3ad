namespace Commons.Node.Web.Admin;

/// <summary>What the administration pages add to the host: the backup download.</summary>
public static class AdminPages
{
    public static WebApplication UseAdminPages(this WebApplication app)
    {
        app.MapBackupDownload();
        return app;
    }
}
