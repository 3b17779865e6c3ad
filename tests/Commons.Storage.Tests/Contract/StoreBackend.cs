using Commons.Storage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Storage.Tests.Contract;

/// <summary>
/// A storage backend as the contract suite sees it: Core's ports resolved from the backend's one registration method,
/// over a fresh data folder of its own. <see cref="Reopen"/> closes everything and opens the same folder again, as a
/// restarted node would. A second backend gives its own registration and subclasses the contract classes, nothing else.
/// </summary>
public sealed class StoreBackend : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Func<IServiceCollection, string, IServiceCollection> _register;
    private ServiceProvider _services;

    public StoreBackend(Func<IServiceCollection, string, IServiceCollection> register)
    {
        _register = register;
        _services = Build();
    }

    public string DataDirectory => _folder.Sub("data");

    private ServiceProvider Build() => _register(new ServiceCollection().AddSingleton(TimeProvider.System), DataDirectory).BuildServiceProvider();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Reopen()
    {
        _services.Dispose();
        _services = Build();
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }

    /// <summary>The LiteDB backend, as the node registers it.</summary>
    public static StoreBackend LiteDb() => new((services, folder) => services.AddLiteDbStorage(_ => folder));
}

/// <summary>Base of every contract class: a fresh backend per test (xUnit makes one instance per test).</summary>
public abstract class StoreContract(StoreBackend backend) : IDisposable
{
    protected StoreBackend Backend { get; } = backend;

    public void Dispose() => Backend.Dispose();
}
