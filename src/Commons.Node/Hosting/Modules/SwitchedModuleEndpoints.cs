using Microsoft.Extensions.Primitives;
using Commons.Core.Modules;

namespace Commons.Node.Hosting.Modules;

/// <summary>
/// One group of a module's endpoints (its API, its page endpoints or its public endpoints), present in routing only
/// while the module is on. Building an endpoint compiles its request delegate (expression trees, then JIT), which is
/// most of what a module's endpoints cost; a module that is off costs nothing of it (bench/README.md, s8-memory). The
/// module maps onto a builder of its own; this source hands the group's prefix and conventions to it when it is on.
/// </summary>
public sealed class SwitchedModuleEndpoints : EndpointDataSource
{
    private const int Unknown = -1, Off = 0, On = 1;
    private static readonly AsyncLocal<bool> Describing = new();

    private readonly IModuleSwitches _switches;
    private readonly IReadOnlyCollection<EndpointDataSource> _mapped;
    private readonly Lock _gate = new();
    private CancellationTokenSource _changed = new();
    private int _given = Unknown;

    private SwitchedModuleEndpoints(string module, IModuleSwitches switches, IReadOnlyCollection<EndpointDataSource> mapped) =>
        (Module, _switches, _mapped) = (module, switches, mapped);

    public string Module { get; }

    /// <summary>Maps a module's endpoints with <paramref name="map"/> behind its switch, inside <paramref name="group"/>.</summary>
    public static void Add(IEndpointRouteBuilder group, string module, Action<IEndpointRouteBuilder> map)
    {
        var own = new OwnRouteBuilder(group.ServiceProvider);
        map(own);
        var source = new SwitchedModuleEndpoints(module, group.ServiceProvider.GetRequiredService<IModuleSwitches>(), own.Sources);
        group.DataSources.Add(source);
        group.ServiceProvider.GetRequiredService<ModuleEndpointSwitches>().Add(source);
    }

    /// <summary>While the returned scope lasts, on this flow every module's endpoints are given out, on or off (the OpenAPI document describes them all).</summary>
    public static IDisposable DescribeAll()
    {
        Describing.Value = true;
        return new DescribeScope();
    }

    public override IReadOnlyList<Endpoint> Endpoints => Given() ? [.. _mapped.SelectMany(s => s.Endpoints)] : [];

    public override IReadOnlyList<Endpoint> GetGroupedEndpoints(RouteGroupContext context) =>
        Given() ? [.. _mapped.SelectMany(s => s.GetGroupedEndpoints(context))] : [];

    public override IChangeToken GetChangeToken()
    {
        lock (_gate) return new CancellationChangeToken(_changed.Token);
    }

    /// <summary>
    /// The module's switch is <paramref name="on"/>: if that is not what routing was given, its endpoints are added or
    /// removed now. Routing rebuilds its matcher inside this call (the change token's callbacks run synchronously), so
    /// the request that follows is routed with the module as it is switched.
    /// </summary>
    public void Follow(bool on)
    {
        var want = on ? On : Off;
        var given = Volatile.Read(ref _given);
        if (given == Unknown || given == want) return;
        CancellationTokenSource fired;
        lock (_gate)
        {
            if (_given == want) return;
            _given = want;
            fired = _changed;
            _changed = new CancellationTokenSource();
        }
        // Not disposed: a consumer may still register on the fired token, which then calls it back at once.
        fired.Cancel();
    }

    private bool Given()
    {
        if (Describing.Value) return true;
        lock (_gate)
        {
            if (_given == Unknown) _given = _switches.IsOn(Module) ? On : Off;
            return _given == On;
        }
    }

    private sealed class DescribeScope : IDisposable
    {
        public void Dispose() => Describing.Value = false;
    }

    /// <summary>The module's own route builder: what it maps stays here until the switched source hands it to routing.</summary>
    private sealed class OwnRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public List<EndpointDataSource> Sources { get; } = [];
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources => Sources;
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}

/// <summary>The switched endpoint sources of all modules, and the step before routing that keeps them in step with the switches.</summary>
public sealed class ModuleEndpointSwitches(IModuleSwitches switches)
{
    private volatile SwitchedModuleEndpoints[] _sources = [];
    private readonly Lock _gate = new();

    internal void Add(SwitchedModuleEndpoints source)
    {
        lock (_gate) _sources = [.. _sources, source];
    }

    /// <summary>Before routing: a module switched since routing last read it gets its endpoints added or removed.</summary>
    public void FollowSwitches()
    {
        foreach (var source in _sources) source.Follow(switches.IsOn(source.Module));
    }
}
