using System.Collections;

namespace Commons.Node.Hosting.OpenApi;

/// <summary>
/// A document request's services (<see cref="OpenApiDocumentServer"/>): a service the node provides comes from the node's
/// request scope, anything else (the OpenAPI document services) from the document services' scope. A list of services
/// the node has none of is the document services' list.
/// </summary>
internal sealed class NodeThenDocumentServices(IServiceProvider node, IServiceProvider document) : IKeyedServiceProvider
{
    public object? GetService(Type serviceType) =>
        Either(node.GetService(serviceType), serviceType, () => document.GetService(serviceType));

    public object? GetKeyedService(Type serviceType, object? serviceKey) =>
        Either(((IKeyedServiceProvider)node).GetKeyedService(serviceType, serviceKey), serviceType,
            () => ((IKeyedServiceProvider)document).GetKeyedService(serviceType, serviceKey));

    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
        GetKeyedService(serviceType, serviceKey)
        ?? throw new InvalidOperationException($"No service for type '{serviceType}' with key '{serviceKey}' has been registered.");

    private static object? Either(object? fromNode, Type serviceType, Func<object?> fromDocument) =>
        fromNode is null || (serviceType.IsGenericType && serviceType.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                             && fromNode is ICollection { Count: 0 })
            ? fromDocument() ?? fromNode
            : fromNode;
}
