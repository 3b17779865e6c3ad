using System.Text.RegularExpressions;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Federation.Views;

/// <summary>
/// The views the modules registered (<see cref="IDatasetView"/>), by kind and name. Built once at start: a bad name or
/// two views of one name for one kind stop the start. A view of a kind whose module is off, or that this node no longer
/// knows, is not there (as a request to it is refused, see <see cref="Exchanges.IncomingRequests"/>).
/// </summary>
public sealed partial class DatasetViewRegistry
{
    private readonly Dictionary<(string Kind, string Name), IDatasetView> _views = [];
    private readonly IDatasetKinds _kinds;
    private readonly IModuleSwitches _switches;

    public DatasetViewRegistry(IEnumerable<IDatasetView> views, IDatasetKinds kinds, IModuleSwitches? switches = null)
    {
        _kinds = kinds;
        _switches = switches ?? AllModulesOn.Instance;
        foreach (var view in views)
        {
            if (!NamePattern().IsMatch(view.Name))
                throw new InvalidOperationException($"view name '{view.Name}' of kind '{view.Kind}' must be lowercase letters, digits and '-' (at most 64)");
            if (string.IsNullOrEmpty(view.Kind)) throw new InvalidOperationException($"view '{view.Name}' names no kind");
            if (!_views.TryAdd((view.Kind, view.Name), view))
                throw new InvalidOperationException($"two views are named '{view.Name}' for kind '{view.Kind}' ({_views[(view.Kind, view.Name)].GetType().Name} and {view.GetType().Name})");
        }
    }

    /// <summary>The view of datasets of <paramref name="kind"/> named <paramref name="name"/>, when its module is on; null otherwise.</summary>
    public IDatasetView? Find(string kind, string name) =>
        _views.TryGetValue((kind, name), out var view) && IsServed(kind) ? view : null;

    /// <summary>The names of the views datasets of <paramref name="kind"/> publish now, in order; empty for most kinds.</summary>
    public IReadOnlyList<string> NamesFor(string kind) =>
        !IsServed(kind) ? [] : _views.Keys.Where(k => k.Kind == kind).Select(k => k.Name).Order(StringComparer.Ordinal).ToList();

    private bool IsServed(string kind) =>
        kind == DatasetKind.Custom || (_kinds.Find(kind) is { } known && _switches.IsOn(known.Module));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex NamePattern();
}
