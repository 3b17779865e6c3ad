using Commons.Node.Hosting.Modules;
using Commons.Node.Tests.Support;
using Commons.Probe;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Commons.Node.Tests.Modules;

/// <summary>
/// A node with the test module <c>probe</c> built in beside <see cref="NodeModules.All"/>, added as a module project's
/// registration adds it; optionally on a data folder that outlives it (for restarts).
/// </summary>
public class ProbeNode : NodeFactory
{
    private readonly string? _folder;

    public ProbeNode() { }

    protected ProbeNode(string folder) => _folder = folder;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        _folder is null ? [] : [new("Commons:DataDirectory", _folder)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddCommonsModule(new ProbeModule(), new ConfigurationBuilder().Build()));
    }

    /// <summary>Turns the probe on or off through the API, as an administrator.</summary>
    public async Task SwitchAsync(bool on)
    {
        using var admin = await AdminAsync();
        await Expect(await admin.PutAsync("/api/admin/modules/probe", Json($$"""{"enabled":{{(on ? "true" : "false")}}}""")), 200);
    }
}

/// <summary>A probe node on a data folder the test owns: a second one on the same folder is the first restarted.</summary>
public sealed class ProbeNodeOnFolder(string folder) : ProbeNode(folder);
