using System.Text.RegularExpressions;
using Commons.Core.Kinds;

namespace Commons.Platform;

/// <summary>
/// The modules built into this node, checked once when the host starts: names unique, not one of the host's own
/// top-level paths, and every kind named after its module. Whether each is on is <see cref="ModuleSwitchboard"/>'s.
/// </summary>
public sealed partial class ModuleCatalog
{
    /// <summary>
    /// First path segments the host uses itself, for pages and under <c>/api</c> (<c>/datasets</c>, <c>/api/me</c>, …), or
    /// keeps for the platform (the switches' own documents live under the module name <c>platform</c>; <c>modules</c> is
    /// the CLI's word): a module named so would shadow them.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "platform", "api", "admin", "account", "datasets", "members", "subscriptions", "schemas", "signin", "signout",
        "setup", "invite", "ui", "openapi", "healthz", "readyz", "inbox", "outbox", "users", "nodeinfo", "well-known",
        "actor", "me", "tokens", "auth", "exchanges", "custom", "node", "modules",
    };

    private readonly Dictionary<string, ICommonsModule> _byName = new(StringComparer.Ordinal);

    public ModuleCatalog(IEnumerable<ICommonsModule> modules)
    {
        foreach (var module in modules)
        {
            if (!NamePattern().IsMatch(module.Name))
                throw new InvalidOperationException($"module name '{module.Name}' must be lowercase letters, digits and '-', starting with a letter");
            if (ReservedNames.Contains(module.Name))
                throw new InvalidOperationException($"module name '{module.Name}' is one the node uses itself");
            if (!_byName.TryAdd(module.Name, module)) throw new InvalidOperationException($"two modules are named '{module.Name}'");
            foreach (var kind in module.Kinds)
                if (kind.Module != module.Name && !kind.Name.StartsWith(module.Name + ".", StringComparison.Ordinal))
                    throw new InvalidOperationException($"kind '{kind.Name}' of module '{module.Name}' must be named '{module.Name}.…'");
        }
        Modules = _byName.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        // The registry checks kind names and refuses two kinds of one name across modules.
        Kinds = new DatasetKindRegistry(Modules.SelectMany(m => m.Kinds));
    }

    public IReadOnlyList<ICommonsModule> Modules { get; }

    /// <summary>Every kind of every module, on or off: a dataset made while its module was on keeps its kind.</summary>
    public DatasetKindRegistry Kinds { get; }

    public ICommonsModule? Find(string name) => _byName.GetValueOrDefault(name);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex NamePattern();
}
