using System.Collections.Frozen;
using System.Text.Json;
using Commons.Core.Modules;

namespace Commons.Platform;

/// <summary>
/// The on/off state of each module, kept in the node's store (the platform's own module documents, collection
/// <c>switches</c>, one document per module) so that it survives a restart and travels in a backup. A module without a
/// document is off: a collective that hosts no place should not find booking pages it never asked for. Reads are
/// served from memory (every module request asks); the one process that holds the store is the one that writes it
/// (the CLI goes through the running node's admin socket), so the copy cannot go stale.
/// </summary>
public sealed class ModuleSwitchboard(IModuleStore store, TimeProvider clock) : IModuleSwitches
{
    public const string StoreModule = "platform";
    public const string Collection = "switches";

    private readonly Lock _gate = new();
    private FrozenDictionary<string, ModuleSwitch>? _switches;

    public bool IsOn(string module) => Switches().TryGetValue(module, out var s) && s.On;

    /// <summary>The stored switch of a module, if an administrator ever set one.</summary>
    public ModuleSwitch? Find(string module) => Switches().GetValueOrDefault(module);

    /// <summary>Stores the switch; the next request sees it.</summary>
    public ModuleSwitch Set(string module, bool on, string by)
    {
        var next = new ModuleSwitch(on, clock.GetUtcNow(), by);
        // Switches are set one at a time, and the copy in memory is what the store holds after this write. Only Set
        // waits on the gate, and never while another thread could hold the store's write gate waiting for it.
        lock (_gate)
        {
            var stored = store.Write(StoreModule, data =>
            {
                data.Put(Collection, module, JsonSerializer.SerializeToElement(next, JsonSerializerOptions.Web));
                return ReadAll(data);
            });
            Volatile.Write(ref _switches, stored);
        }
        return next;
    }

    private FrozenDictionary<string, ModuleSwitch> Switches()
    {
        if (Volatile.Read(ref _switches) is { } loaded) return loaded;
        // A load that races a Set yields to it: only an empty copy is replaced.
        var read = store.Read(StoreModule, ReadAll);
        return Interlocked.CompareExchange(ref _switches, read, null) ?? read;
    }

    private static FrozenDictionary<string, ModuleSwitch> ReadAll(IModuleData data) =>
        data.Range(Collection, null, null, int.MaxValue)
            .ToFrozenDictionary(d => d.Key, d => d.Value.Deserialize<ModuleSwitch>(JsonSerializerOptions.Web)!, StringComparer.Ordinal);
}

/// <summary>A module's switch as stored: on or off, since when, set by whom.</summary>
public sealed record ModuleSwitch(bool On, DateTimeOffset ChangedAt, string ChangedBy);
