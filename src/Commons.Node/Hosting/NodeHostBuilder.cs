using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Console;

namespace Commons.Node.Hosting;

/// <summary>
/// The web host's builder: the framework's slim one, which leaves out what the node never uses — the IIS server, HTTP/3
/// (QUIC) and the scan for hosting-startup assemblies — with the rest of the default builder's behaviour added back, so
/// configuration (<c>urls</c>, <c>contentRoot</c>, appsettings files, environment variables, command line), Kestrel's
/// section, HTTPS endpoints, routing and logging work as they did. Leaving those out keeps ~2 MiB of assemblies out of an
/// idle node (bench/README.md, s9-memory).
/// </summary>
internal static class NodeHostBuilder
{
    public static WebApplicationBuilder Create(WebApplicationOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(options);
        // https:// addresses in `urls` and certificates in the Kestrel section: the default builder's UseKestrel has them.
        builder.WebHost.UseKestrelHttpsConfiguration();
        // The route constraints the slim builder's routing core leaves out (regex, alpha, …).
        builder.Services.AddRouting();
        // The default builder's log providers beside the console, and metrics rules from the configuration.
        builder.Logging.AddDebug();
        builder.Logging.AddEventSourceLogger();
        builder.Services.AddMetrics(metrics => metrics.AddConfiguration(builder.Configuration.GetSection("Metrics")));
        // The slim builder forces the console's "simple" formatter; the default one takes the formatter the configuration names.
        builder.Services.PostConfigure<ConsoleLoggerOptions>(console =>
        {
            if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter) console.FormatterName = formatter;
        });
        // In a build output (dotnet run, the tests) wwwroot stays in the source project and a manifest points there; a
        // published folder has no manifest and its own wwwroot, so this does nothing there. The default builder did this in
        // Development only; the node did it in every other environment, so now it is done in all.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }
}
