using System.Text.Json.Nodes;
using Commons.Node.Hosting.Modules;
using Commons.Node.Tests.Support;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;

namespace Commons.Node.Tests.Modules;

/// <summary>
/// A module that is off has no endpoints in routing (nothing of it is built: the idle node's memory), gets them when it is
/// switched on and loses them when switched off, without a restart; the OpenAPI document describes it either way.
/// </summary>
public sealed class ModuleEndpointRoutingTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    /// <summary>The probe's API and endpoints in routing; its pages (components) stay mapped, hidden by the switch.</summary>
    private IEnumerable<string> ProbeRoutes() => node.Service<EndpointDataSource>().Endpoints
        .Where(e => e.Metadata.GetMetadata<ModuleEndpoint>()?.Module == "probe" && e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
        .Select(e => ((RouteEndpoint)e).RoutePattern.RawText ?? "");

    [Fact]
    public async Task An_off_module_has_no_endpoint_in_routing_until_it_is_switched_on_and_none_after_it_is_switched_off()
    {
        using var admin = await node.AdminAsync();
        await NodeFactory.ExpectProblem(await admin.GetAsync("/api/probe/hello"), 404);
        // Nothing says an off module exists, not even 405 to a method its path does not take.
        await NodeFactory.ExpectProblem(await admin.DeleteAsync("/api/probe/hello"), 404);
        Assert.Empty(ProbeRoutes());

        await node.SwitchAsync(on: true);
        await NodeFactory.ExpectProblem(await admin.DeleteAsync("/api/probe/hello"), 405);
        await NodeFactory.Expect(await admin.GetAsync("/api/probe/hello"), 200);
        Assert.Equal(["/api/probe/hello", "/probe/public/ping/{secret}"], ProbeRoutes().Order(StringComparer.Ordinal));
        // Endpoints given to routing keep the group's conventions: the member API still needs a credential.
        await NodeFactory.ExpectProblem(await node.Client().GetAsync("/api/probe/hello"), 401);
        Assert.Equal("pong", await node.Client().GetStringAsync($"/probe/public/ping/{Probe.ProbeGreeting.Secret}"));

        await node.SwitchAsync(on: false);
        await NodeFactory.ExpectProblem(await admin.GetAsync("/api/probe/hello"), 404);
        Assert.Empty(ProbeRoutes());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await node.Client().GetAsync($"/probe/public/ping/{Probe.ProbeGreeting.Secret}")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_a_module_that_is_off()
    {
        Assert.False(node.Service<Core.Modules.IModuleSwitches>().IsOn("probe"));
        using var client = node.Client();
        var doc = await NodeFactory.Expect(await client.GetAsync("/openapi/v1.json"), 200);
        var hello = doc["paths"]!["/api/probe/hello"]!["get"]!.AsObject();
        Assert.Contains("404", hello["responses"]!.AsObject().Select(r => r.Key));
        Assert.Empty(ProbeRoutes());
    }
}
