using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Commons.Node.Hosting;

/// <summary>What every response carries whatever answered it: nosniff, HSTS over HTTPS, and compression where it is safe.</summary>
public static class ResponseHardening
{
    /// <summary>
    /// The stylesheet and the API's JSON (answers and problems) are compressed, Brotli first, over HTTPS too.
    /// HTML pages are not: they carry an antiforgery token next to text a visitor can choose (a search, a returned
    /// URL), which is what a BREACH attacker needs, measuring compressed sizes of pages the victim's own cookie signs
    /// in. The API never accepts that cookie (only a bearer token a page cannot add cross-site), so its JSON offers
    /// nothing to guess; ui.css holds no secret.
    /// </summary>
    public static IServiceCollection AddResponseHardening(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<FastestBrotli>();
            o.Providers.Add<FastestGzip>();
            o.MimeTypes = ["text/css", "application/json", "application/problem+json"];
        });
        // A year, this host only: a node may share its domain with sites that are not on HTTPS.
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return services;
    }

    /// <summary>Placed after the forwarded headers, so that a request a known proxy received over HTTPS counts as HTTPS.</summary>
    public static IApplicationBuilder UseResponseHardening(this IApplicationBuilder app)
    {
        app.Use(async (http, next) =>
        {
            // On start, so that a response an error handler rewrote still has it.
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            await next();
        });
        // Only when the request came over HTTPS, and never for localhost (it would pin every local port to HTTPS).
        app.UseHsts();
        app.UseResponseCompression();
        return app;
    }
}

/// <summary>
/// Brotli at its fastest level, as the framework's BrotliCompressionProvider configured so. Written out because that one's
/// options type has a System.IO.Compression field, so registering it loads that assembly (~0.35 MiB resident, issue 17 idle
/// memory) in every node at start; this loads it with the first response it compresses.
/// </summary>
internal sealed class FastestBrotli : ICompressionProvider
{
    public string EncodingName => "br";
    public bool SupportsFlush => true;
    public Stream CreateStream(Stream outputStream) => new BrotliStream(outputStream, CompressionLevel.Fastest, leaveOpen: true);
}

/// <summary>Gzip at its fastest level, as the framework's GzipCompressionProvider configured so (see <see cref="FastestBrotli"/>).</summary>
internal sealed class FastestGzip : ICompressionProvider
{
    public string EncodingName => "gzip";
    public bool SupportsFlush => true;
    public Stream CreateStream(Stream outputStream) => new GZipStream(outputStream, CompressionLevel.Fastest, leaveOpen: true);
}
