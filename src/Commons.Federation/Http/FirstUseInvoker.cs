namespace Commons.Federation.Http;

/// <summary>
/// The invoker of a federation client's requests, made on the client's first request rather than with the client. The
/// clients are constructed as the node starts (the inbox and the workers depend on them), and making the handler there
/// loads System.Net.Http (~1.5 MiB resident) into a node that may not send anything for hours (bench/README.md,
/// s9-memory). The handler is <see cref="SafeHttpHandlerFactory"/>'s as before: its connect-time address checks are unchanged.
/// </summary>
/// <remarks>
/// Not a <c>Lazy&lt;HttpMessageInvoker&gt;</c>: that instantiation loads System.Net.Http when the client is constructed,
/// which is what this avoids (IdleAssemblyTests fails with it).
/// </remarks>
internal sealed class FirstUseInvoker : IDisposable
{
    private readonly FederationOptions? _options;
    private readonly IAddressPolicy? _addressPolicy;
    private readonly HostResolver? _resolver;
    private HttpMessageInvoker? _invoker;

    /// <summary>A <see cref="SafeHttpHandlerFactory"/> handler made on first use.</summary>
    public FirstUseInvoker(FederationOptions options, IAddressPolicy? addressPolicy, HostResolver? resolver) =>
        (_options, _addressPolicy, _resolver) = (options, addressPolicy, resolver);

    /// <summary>A handler the caller made.</summary>
    public FirstUseInvoker(HttpMessageHandler handler, bool disposeHandler) => _invoker = new HttpMessageInvoker(handler, disposeHandler);

    public HttpMessageInvoker Invoker => Volatile.Read(ref _invoker) ?? Create();

    private HttpMessageInvoker Create()
    {
        var created = new HttpMessageInvoker(SafeHttpHandlerFactory.Create(_options!, _addressPolicy, _resolver), disposeHandler: true);
        if (Interlocked.CompareExchange(ref _invoker, created, null) is { } first)
        {
            created.Dispose();
            return first;
        }
        return created;
    }

    public void Dispose() => Volatile.Read(ref _invoker)?.Dispose();
}
