using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// axe-core (the npm engine, shipped inside the Deque.AxeCore packages so a machine with only the .NET SDK has it)
/// injected into the open page: every rule axe runs by default — WCAG 2.0/2.1/2.2 A and AA and its best practices.
/// </summary>
public static class Axe
{
    // The engine as the package embeds it. Deque's own RunAxe runs each frame apart and joins the results in a second,
    // blank page it opens (for iframes, which the interface does not have): about 3 s a page on a 2-core machine.
    // Here axe.run runs once in the page, reporting violations only (it then skips describing every passing element).
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not in Deque.AxeCore.Commons any more");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private const string Run = """
        async () => {
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map(v => ({ id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.html) }));
        }
        """;

    /// <summary>The page's violations, one line each: rule, impact, the first elements concerned.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        // Evaluated through the browser's debugging protocol, not a <script> tag the page's CSP would refuse.
        if (!await page.EvaluateAsync<bool>("typeof axe !== 'undefined'")) await page.EvaluateAsync(Source.Value);
        var violations = await page.EvaluateAsync<JsonElement>(Run);
        return violations.EnumerateArray().Select(Describe).ToList();
    }

    private static string Describe(JsonElement v)
    {
        var nodes = v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString() ?? "").ToList();
        var shown = nodes.Take(3).Select(n => n.Length > 160 ? n[..160] + "…" : n);
        return $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} — "
            + string.Join(" | ", shown) + (nodes.Count > 3 ? $" (+{nodes.Count - 3})" : "");
    }
}
