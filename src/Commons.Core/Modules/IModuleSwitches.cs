namespace Commons.Core.Modules;

/// <summary>
/// Which of the node's modules an administrator has turned on. A module that is off answers nothing: no API, no pages,
/// no datasets of its kinds created, no requests from peers to its kinds accepted; its data stays as it is and shows
/// again once it is back on. Modules are off until an administrator turns them on.
/// </summary>
public interface IModuleSwitches
{
    /// <summary>True when the module (a kind's <see cref="Kinds.DatasetKind.Module"/>) is on; unknown names are off.</summary>
    bool IsOn(string module);
}

/// <summary>Every module on: for a node or a test without administration of modules (Core's services default to it).</summary>
public sealed class AllModulesOn : IModuleSwitches
{
    public static readonly AllModulesOn Instance = new();
    private AllModulesOn() { }
    public bool IsOn(string module) => true;
}
