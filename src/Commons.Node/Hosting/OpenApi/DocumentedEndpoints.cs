using Commons.Node.Hosting.Modules;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.Primitives;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>
/// The endpoints the OpenAPI document describes: the node's, and every module's API whether the module is on or not
/// (a client is written against what the node can serve; an operation of a module that is off answers 404, which the
/// document says). Routing holds only the modules that are on (<see cref="SwitchedModuleEndpoints"/>), so the
/// framework's endpoint description is given this view instead of routing's. Built again for each document; nothing is kept.
/// </summary>
internal sealed class DocumentedEndpoints(EndpointDataSource routing) : EndpointDataSource
{
    public override IReadOnlyList<Endpoint> Endpoints
    {
        get
        {
            using var all = SwitchedModuleEndpoints.DescribeAll();
            using var fresh = new CompositeEndpointDataSource(((CompositeEndpointDataSource)routing).DataSources);
            return fresh.Endpoints;
        }
    }

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(CancellationToken.None);

    /// <summary>
    /// Gives the framework's endpoint description (the <see cref="IApiDescriptionProvider"/> that reads minimal-API
    /// endpoints, registered by AddOpenApi) this view, and the node's answer to which parameters are services. Its type is
    /// internal to ASP.NET Core, so it is found by its registration.
    /// </summary>
    public static IServiceCollection DescribeEveryModule(IServiceCollection services, IServiceProviderIsService nodeServices)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IApiDescriptionProvider)
            && d.ImplementationType?.Name == "EndpointMetadataApiDescriptionProvider");
        var type = registered.ImplementationType!;
        services.Remove(registered);
        services.AddTransient(sp => (IApiDescriptionProvider)ActivatorUtilities.CreateInstance(sp, type,
            new DocumentedEndpoints(sp.GetRequiredService<EndpointDataSource>()), nodeServices));
        return services;
    }
}
