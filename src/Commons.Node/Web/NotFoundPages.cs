using System.Globalization;
using Commons.Node.Web.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;

namespace Commons.Node.Web;

/// <summary>
/// A URL nothing answers: a browser gets the interface's "not found" page in the member's language, with the page
/// headers (CSP and the rest, set by the interface's middleware on any HTML); API clients, peers and anything not
/// asking for HTML get problem+json as before.
/// </summary>
public static class NotFoundPages
{
    public static IApplicationBuilder UseNotFoundPages(this IApplicationBuilder app)
    {
        var problems = new StatusCodePagesOptions().HandleAsync;
        return app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status404NotFound && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                && WebUi.IsUiRequest(http) && WebUi.WantsHtml(http.Request))
                await RenderAsync(http);
            else
                await problems(context);
        });
    }

    private static async Task RenderAsync(HttpContext http)
    {
        // The interface's localisation ran further in and has returned; the culture it chose stays on the request.
        if (http.Features.Get<IRequestCultureFeature>()?.RequestCulture is { } chosen)
        {
            CultureInfo.CurrentCulture = chosen.Culture;
            CultureInfo.CurrentUICulture = chosen.UICulture;
        }
        await new RazorComponentResult<NotFoundPage> { StatusCode = StatusCodes.Status404NotFound }.ExecuteAsync(http);
    }
}
