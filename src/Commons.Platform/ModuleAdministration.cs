using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Kinds;

namespace Commons.Platform;

/// <summary>
/// Turning modules on and off: the one place that decides who may (administrators), for the API, the admin page and
/// the CLI alike.
/// </summary>
public sealed class ModuleAdministration(ModuleCatalog catalog, ModuleSwitchboard switches)
{
    public IReadOnlyList<ModuleStatus> List(Caller caller)
    {
        DatasetAccess.RequireAdmin(caller);
        return catalog.Modules.Select(Status).ToList();
    }

    public ModuleStatus Get(Caller caller, string name)
    {
        DatasetAccess.RequireAdmin(caller);
        return Status(Find(name));
    }

    /// <summary>Turns the module on or off; its data is never touched either way.</summary>
    public ModuleStatus Set(Caller caller, string name, bool on)
    {
        DatasetAccess.RequireAdmin(caller);
        var module = Find(name);
        if (switches.Find(module.Name) is not { } current || current.On != on) switches.Set(module.Name, on, caller.Username);
        return Status(module);
    }

    private ICommonsModule Find(string name) =>
        catalog.Find(name) ?? throw new NotFoundException($"no module '{name}' on this node");

    private ModuleStatus Status(ICommonsModule module)
    {
        var stored = switches.Find(module.Name);
        return new ModuleStatus(module, stored?.On ?? false, stored?.ChangedAt, stored?.ChangedBy);
    }
}

/// <summary>A module as an administrator sees it: what it is, whether it is on, and who last changed that.</summary>
public sealed record ModuleStatus(ICommonsModule Module, bool On, DateTimeOffset? ChangedAt, string? ChangedBy)
{
    public IReadOnlyList<DatasetKind> Kinds => Module.Kinds;
}
