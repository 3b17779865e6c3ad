using System.Net;
using System.Net.Sockets;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// A node as a collective would first start it: no administrator configured, so it waits for the setup page. It listens
/// on 127.0.0.1 on a port chosen before start (its public URL, actor ids and keys depend on it), federates with other
/// nodes on loopback (private addresses allowed for the test only) and keeps its data in a temporary folder.
/// </summary>
public sealed class FlowNode : WebApplicationFactory<Commons.Node.Program>
{
    public int Port { get; } = FreePort();
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "commons-web-flow", Guid.NewGuid().ToString("N"));
    public string Url => $"http://127.0.0.1:{Port}";
    public string Authority => $"127.0.0.1:{Port}";

    /// <summary>The one-time setup code the node wrote beside its store on first start (the console prints the same link).</summary>
    public string SetupCode => File.ReadAllText(Path.Combine(DataDirectory, "run", "setup-code")).Trim();

    public FlowNode()
    {
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(Port);
    }

    public void Start() => StartServer();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", Url);
        builder.UseSetting("Commons:PublicUrl", Url);
        builder.UseSetting("Commons:DataDirectory", DataDirectory);
        builder.UseSetting("Commons:AdminSocket", "false");
        builder.UseSetting("Commons:Security:PasswordIterations", "1000");
        builder.UseSetting("Federation:AllowPrivateNetworks", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services =>
        {
            // A peer that was briefly unreachable is retried within seconds, not the production 30 s.
            services.RemoveAll<RetrySchedule>();
            services.AddSingleton(new RetrySchedule { First = TimeSpan.FromSeconds(1), Cap = TimeSpan.FromSeconds(2) });
            services.AddSingleton(new RemoteActorCacheOptions { MinRefreshInterval = TimeSpan.Zero });
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
