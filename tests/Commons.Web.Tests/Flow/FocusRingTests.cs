using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// The focus ring stands out wherever it lands (WCAG 1.4.11, 3:1): on every page, Tab walks through every control and,
/// for each, the outline's colour is measured against the background it is drawn on — outside the element (the
/// outline is offset), so the nearest opaque background of its parent: the header's, the main content's, a notice's,
/// a table row's, a footer's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FocusRingTests(AuditFixture fixture, ITestOutputHelper output) : IClassFixture<AuditFixture>
{
    /// <summary>Runs in the page: the focused element's ring, the background behind it and their contrast.</summary>
    private const string Measure = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const rgba = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(x => parseFloat(x)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          let behind = null, on = 'page';
          for (let n = e.parentElement; n; n = n.parentElement) {
            const c = rgba(getComputedStyle(n).backgroundColor);
            if (c && c.a > 0.5) { behind = c; on = n.tagName.toLowerCase() + (n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\s+/).join('.') : ''); break; }
          }
          behind = behind || { r: 255, g: 255, b: 255, a: 1 };
          const s = getComputedStyle(e), ring = rgba(s.outlineColor);
          const [hi, lo] = [lum(ring), lum(behind)].sort((x, y) => y - x);
          const area = e.closest('header') ? 'header' : e.closest('footer') ? 'footer' : e.closest('tr') ? 'table row' : e.tagName === 'BUTTON' ? 'button' : 'main';
          return {
            what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.innerText || e.value || '').trim().slice(0, 30) + '"',
            area, on, style: s.outlineStyle, width: parseFloat(s.outlineWidth), ratio: (hi + 0.05) / (lo + 0.05),
          };
        }
        """;

    private sealed record Ring(string What, string Area, string On, string Style, double Width, double Ratio);

    [ChromiumFact]
    public async Task The_focus_ring_has_3_to_1_against_every_background_it_lands_on()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, fixture.Node.Address.ToString().TrimEnd('/'), "fr-BE", 1280, 800);
        var page = await context.NewPageAsync();
        await EveryPageAccessibilityTests.SignInAsync(page);

        var problems = new List<string>();
        var lowest = new Dictionary<string, Ring>();
        foreach (var audited in fixture.Site.SignedIn)
        {
            await page.GotoAsync(audited.Path);
            var seen = new HashSet<string>();
            // Every stop of the page's tab order, once: the walk ends when the focus comes back to one already seen.
            for (var stop = 0; stop < 150; stop++)
            {
                await page.Keyboard.PressAsync("Tab");
                var measured = await page.EvaluateAsync<JsonElement?>(Measure);
                if (measured is not { ValueKind: JsonValueKind.Object } m) continue;
                var ring = new Ring(m.GetProperty("what").GetString()!, m.GetProperty("area").GetString()!, m.GetProperty("on").GetString()!,
                    m.GetProperty("style").GetString()!, m.GetProperty("width").GetDouble(), m.GetProperty("ratio").GetDouble());
                if (!seen.Add(ring.What + ring.On)) break;
                if (ring.Style == "none" || ring.Width < 2 || ring.Ratio < 3)
                    problems.Add($"{audited.Name}: {ring.What} on {ring.On}: outline {ring.Style} {ring.Width} px, {ring.Ratio:F2}:1");
                if (!lowest.TryGetValue(ring.Area, out var low) || ring.Ratio < low.Ratio) lowest[ring.Area] = ring;
            }
        }

        foreach (var (area, ring) in lowest.OrderBy(l => l.Key))
            output.WriteLine($"lowest focus ring contrast in the {area}: {ring.Ratio:F2}:1 ({ring.What} on {ring.On})");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Distinct()));
        Assert.Contains("header", lowest.Keys);
        Assert.Contains("table row", lowest.Keys);
        Assert.Contains("button", lowest.Keys);
    }
}
