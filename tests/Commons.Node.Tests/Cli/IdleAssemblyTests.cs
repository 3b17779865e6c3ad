using System.Net;

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
            // The request delegates are generated at build time (Commons.Node.csproj); the runtime factory loads this
            // inspecting the handlers when the routes are first built.
            "System.Runtime.Numerics",
            .. Mvc,
        ];
        // All at once, so that a failure names every one that came back.
        var back = notLoadedAtIdle.Where(loaded.Contains).ToArray();
        Assert.True(back.Length == 0, $"loaded by an idle node: {string.Join(", ", back)}");
    }

    /// <summary>
    /// Endpoint parameters marked [FromServices] name the platform's attribute (Commons.Platform/FromServicesAttribute.cs),
    /// not MVC's: MVC is loaded by building the request delegate of an endpoint that carries MVC's.
    /// </summary>
    private static readonly string[] Mvc = ["Microsoft.AspNetCore.Mvc.Core", "Microsoft.AspNetCore.Mvc.Abstractions"];

    [Fact]
    public async Task A_started_node_with_every_module_on_has_not_loaded_mvc()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        // Every module the node is built with, turned on before the start: their endpoints are in the first route table.
        var list = await CommonsCli.RunAsync(data, "modules", "list");
        Assert.Equal(0, list.ExitCode);
        var modules = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(' ')[0]).ToArray();
        Assert.Equal(["committee", "credit", "employers", "map", "place"], modules.Order());
        foreach (var module in modules)
            Assert.Equal($"module {module} is on\n", (await CommonsCli.RunAsync(data, "modules", "enable", module)).Out);

        await using var node = await NodeProcess.StartAsync(data, adminSocket: false);
        Assert.True((await node.Http.GetAsync("/healthz")).IsSuccessStatusCode);
        // One endpoint of each module's API answers 401 only while the module is on and in routing (off, it is a 404).
        foreach (var path in (string[])["/api/committee/governance/quorum", "/api/credit/groups", "/api/employers/months", "/api/map/matches", "/api/place/approvals"])
            Assert.Equal((path, HttpStatusCode.Unauthorized), (path, (await node.Http.GetAsync(path)).StatusCode));

        var back = Mvc.Where(LoadedAssemblies(node.ProcessId).Contains).ToArray();
        Assert.True(back.Length == 0, $"loaded by an idle node with every module on: {string.Join(", ", back)}");
    }

    private static HashSet<string> LoadedAssemblies(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[^1].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileNameWithoutExtension(fields[^1]))
            .ToHashSet(StringComparer.Ordinal);
}
