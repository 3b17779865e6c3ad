using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Modules;
using Commons.Platform;

namespace Commons.Node.Web.Dashboard;

/// <summary>One line of the dashboard's module news: which module said it, what, the page it leads to, and when.</summary>
public sealed record ModuleNewsItem(string Module, LocalizedText Text, string Path, DateTimeOffset At);

/// <summary>
/// What the modules that are on have new for one member (<see cref="ICommonsModule.DashboardItems"/>), together,
/// newest first, at most <see cref="Shown"/>. A link that does not stay on this node (not a path from its root) is
/// left out, and so is the news of a module that fails: its trouble is logged and the dashboard still shows.
/// </summary>
public static class ModuleNewsList
{
    public const int Shown = 10;

    public static IReadOnlyList<ModuleNewsItem> For(ModuleCatalog catalog, IModuleSwitches switches, IServiceProvider services, Caller caller, ILogger log)
    {
        var items = new List<ModuleNewsItem>();
        foreach (var module in catalog.Modules.Where(m => switches.IsOn(m.Name)))
        {
            try
            {
                items.AddRange(module.DashboardItems(services, caller).Take(Shown)
                    .Where(i => IsLocal(i.Path))
                    .Select(i => new ModuleNewsItem(module.Name, i.Text, i.Path, i.At)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The {Module} module's dashboard items failed", module.Name);
            }
        }
        return items.OrderByDescending(i => i.At).Take(Shown).ToList();
    }

    private static bool IsLocal(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal);
}
