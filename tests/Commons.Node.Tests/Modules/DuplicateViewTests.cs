using Commons.Core.Exchanges;
using Commons.Probe;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Node.Tests.Modules;

/// <summary>Two views of one name for one kind: the node does not start (rather than serving one of them by chance).</summary>
public sealed class DuplicateViewTests
{
    private sealed class NodeWithTwoEchoViews : ProbeNode
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IDatasetView, ProbeEchoView>());
        }
    }

    [Fact]
    public async Task The_node_does_not_start()
    {
        await using var node = new NodeWithTwoEchoViews();
        var e = Assert.ThrowsAny<Exception>(() => node.Address);
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        Assert.Contains(messages, m => m.Contains("two views are named 'echo' for kind 'probe.slots'", StringComparison.Ordinal));
    }
}
