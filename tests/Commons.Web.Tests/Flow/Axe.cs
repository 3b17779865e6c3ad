using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// axe-core (the npm engine, shipped inside the Deque.AxeCore packages so a machine with only the .NET SDK has it)
/// injected into the open page: every rule axe runs by default — WCAG 2.0/2.1/2.2 A and AA and its best practices.
/// </summary>
public static class Axe
{
    /// <summary>The page's violations, one line each: rule, impact, the first elements concerned.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return (result.Violations ?? [])
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(Describe))}{(v.Nodes.Length > 3 ? $" (+{v.Nodes.Length - 3})" : "")}")
            .ToList();
    }

    private static string Describe(AxeResultNode node)
    {
        var html = node.Html ?? "";
        return $"{node.Target} {(html.Length > 120 ? html[..120] + "…" : html)}";
    }
}
