namespace Commons.Node.Web.Members;

/// <summary>Until the first administrator exists, every page of the interface sends the browser to <c>/setup</c>.</summary>
public static class SetupGate
{
    public const string Path = "/setup";

    public static IApplicationBuilder UseFirstRunSetupGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<UiPageMetadata>() is not null
            && !http.Request.Path.StartsWithSegments(Path)
            && http.RequestServices.GetRequiredService<FirstRunSetup>().IsPending)
        {
            http.Response.Redirect(Path);
            return;
        }
        await next();
    });
}
