using Commons.Core.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Commons.Node.Http;

/// <summary>
/// The request-line and header limits, answered as problem documents that say the sizes. Kestrel refuses an over-long
/// request line (414) or header block (431) itself, before any middleware, and can only be given a generic body
/// (<see cref="KestrelErrorBodies"/>). So Kestrel's own limits are set a few times higher, as a ceiling against memory
/// abuse, and the usual limits are checked here, early in the pipeline.
/// </summary>
public static class RequestSizeLimits
{
    /// <summary>Kestrel's defaults, kept as the limits clients see.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    private const int KestrelCeilingFactor = 4;

    public static void SetKestrelCeilings(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = MaxRequestLineBytes * KestrelCeilingFactor;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * KestrelCeilingFactor;
    }

    public static IApplicationBuilder UseRequestSizeLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Features.Get<IHttpRequestFeature>();
        // Method, target, protocol, two spaces and CRLF: what Kestrel counts as the request line.
        var lineBytes = (request?.Method.Length ?? 0) + (request?.RawTarget.Length ?? 0) + (request?.Protocol.Length ?? 0) + 4;
        if (lineBytes > MaxRequestLineBytes)
        {
            await Refuse(http, StatusCodes.Status414UriTooLong, "URI too long", $"the request line is {lineBytes} bytes; the limit is {MaxRequestLineBytes}");
            return;
        }
        var headerBytes = 0;
        foreach (var (name, values) in http.Request.Headers)
            foreach (var value in values)
                headerBytes += name.Length + (value?.Length ?? 0) + 4;
        if (headerBytes > MaxHeaderBytes)
        {
            await Refuse(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large", $"the headers are {headerBytes} bytes; the limit is {MaxHeaderBytes}");
            return;
        }
        await next(http);
    });

    private static async Task Refuse(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.Connection = "close";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { [ProblemMapping.CodeField] = ProblemCodes.ForStatus(status) } };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
