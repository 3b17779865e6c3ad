namespace Commons.Node.Tests.Cli;

/// <summary>
/// A node started as the README starts it (issue 17, resident memory): what it does not use is not loaded, each part
/// about 0.3–1.4 MiB resident. Read from the real process's mappings, so nothing else in the test process interferes.
/// </summary>
public sealed class IdleAssemblyTests
{
    [Fact]
    public async Task A_started_node_serving_health_probes_has_not_loaded_what_it_does_not_use()
    {
        // /proc/PID/maps is Linux's; the node's deployments and CI are Linux.
        if (!OperatingSystem.IsLinux()) return;
        using var temp = new TempFolder();
        await using var node = await NodeProcess.StartAsync(temp.Sub("data"), adminSocket: false);
        Assert.True((await node.Http.GetAsync("/healthz")).IsSuccessStatusCode);

        var loaded = LoadedAssemblies(node.ProcessId);
        Assert.Contains("Microsoft.AspNetCore.Server.Kestrel.Core", loaded);
        string[] notLoadedAtIdle =
        [
            // The slim host builder (Hosting/NodeHostBuilder.cs): no HTTP/3 transport, no IIS server.
            "System.Net.Quic", "Microsoft.AspNetCore.Server.Kestrel.Transport.Quic", "Microsoft.AspNetCore.Server.IIS",
            // The federation clients make their HTTP handler on their first request (Commons.Federation/Http/FirstUseInvoker.cs).
            "System.Net.Http",
            // Claims read with FindFirst, not Identity's FindFirstValue extension (the language middleware runs on every request).
            "Microsoft.Extensions.Identity.Core",
            // The node's options are bound by the configuration binding generator (Commons.Node.csproj), not by reflection.
            "System.ComponentModel.TypeConverter",
            // The OpenAPI document's services are built on the first document request (Hosting/OpenApi/OpenApiDocumentServer.cs),
            // and no route carries an OpenAPI type (Hosting/OpenApi/RecordQueryParameters.cs).
            "Microsoft.AspNetCore.Mvc.ApiExplorer", "Microsoft.AspNetCore.OpenApi", "Microsoft.OpenApi",
            // Response compression's providers are the node's own (Hosting/ResponseHardening.cs): Brotli and gzip load with
            // the first response they compress.
            "System.IO.Compression",
            // Endpoint parameters marked [FromServices] name the node's attribute (Commons.Node/FromServicesAttribute.cs), not MVC's.
            "Microsoft.AspNetCore.Mvc.Core", "Microsoft.AspNetCore.Mvc.Abstractions",
        ];
        // All at once, so that a failure names every one that came back.
        var back = notLoadedAtIdle.Where(loaded.Contains).ToArray();
        Assert.True(back.Length == 0, $"loaded by an idle node: {string.Join(", ", back)}");
    }

    private static HashSet<string> LoadedAssemblies(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[^1].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileNameWithoutExtension(fields[^1]))
            .ToHashSet(StringComparer.Ordinal);
}
