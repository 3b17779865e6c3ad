using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Platform.Web;

namespace Commons.Modules.Map.Tiles;

/// <summary>
/// The map's tile server, an administrator's setting kept in the module's data (collection <c>settings</c>, key
/// <c>tiles</c>; it travels in backups): none by default, and the map stays the schematic one drawn by the node.
/// Anyone who reads the map reads the setting; only an administrator with write scope changes it. The host asks
/// <see cref="Origins"/> for every page's CSP, so the setting is kept in memory once read.
/// </summary>
public sealed class TileSettings(IModuleStore modules, TimeProvider clock) : IPageImageSources
{
    private const string Collection = "settings";
    private const string Key = "tiles";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();
    private (bool Read, TileServer? Server) _cached;

    public string Module => "map";

    public IReadOnlyList<string> Origins => Current is { } server ? [server.Origin] : [];

    /// <summary>The tile server, or null when none is configured.</summary>
    public TileServer? Current
    {
        get
        {
            var cached = _cached;
            if (cached.Read) return cached.Server;
            lock (_gate)
            {
                if (!_cached.Read) _cached = (true, modules.Read(Module, d => d.Get(Collection, Key)?.Deserialize<TileServer>(Json)));
                return _cached.Server;
            }
        }
    }

    public TileServer? Get(Caller caller)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        return Current;
    }

    /// <summary>Configures the tile server; refused with <c>invalid_tile_server</c> when the address or attribution is not one the map uses.</summary>
    public TileServer Set(Caller caller, string? urlTemplate, string? attribution)
    {
        Admin(caller, "configures the map's tile server");
        var (template, text) = TileServer.Validate(urlTemplate, attribution);
        var server = new TileServer(template, text, caller.Username, clock.GetUtcNow());
        lock (_gate)
        {
            modules.Write(Module, d => { d.Put(Collection, Key, JsonSerializer.SerializeToElement(server, Json)); return 0; });
            _cached = (true, server);
        }
        return server;
    }

    /// <summary>Back to no tile server; false when none was configured.</summary>
    public bool Clear(Caller caller)
    {
        Admin(caller, "removes the map's tile server");
        lock (_gate)
        {
            var removed = modules.Write(Module, d => d.Delete(Collection, Key));
            _cached = (true, null);
            return removed;
        }
    }

    private static void Admin(Caller caller, string what)
    {
        if (!caller.IsAdmin || !caller.CanWrite) throw new ForbiddenException($"only an administrator {what}");
    }
}
