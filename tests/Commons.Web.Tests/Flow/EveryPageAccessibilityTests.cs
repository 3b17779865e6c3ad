using Commons.Core.Datasets;
using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// Every page of the interface, opened by an administrator in a real browser at 360 px wide, in each language: it has
/// one h1 and the page's language, no sideways scrolling outside a table's own scroller, a label for every visible
/// input, text in sufficient contrast with its background (WCAG AA: 4.5:1, 3:1 for large text), a visible focus
/// outline on the first control Tab reaches after the skip link, and no Content-Security-Policy violation.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class EveryPageAccessibilityTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    // Runs in the page: the problems found, one line each.
    private const string Audit = """
        () => {
          const problems = [];
          const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '');
          // A label for every visible control.
          for (const e of document.querySelectorAll('input, select, textarea')) {
            if (e.type === 'hidden' || !visible(e)) continue;
            const labelled = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.title;
            if (!labelled) problems.push('no label: ' + name(e));
          }
          // Buttons and links have a name.
          for (const e of document.querySelectorAll('button, a[href]')) {
            if (visible(e) && !(e.innerText || '').trim() && !e.getAttribute('aria-label') && !e.title) problems.push('no text: ' + name(e));
          }
          // Contrast of every element that holds text directly.
          const rgba = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(x => parseFloat(x)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const background = e => { for (let n = e; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          for (const e of document.querySelectorAll('body *')) {
            if (!visible(e)) continue;
            const text = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
            if (!text) continue;
            const s = getComputedStyle(e);
            const fg = rgba(s.color), bg = background(e);
            if (!fg) continue;
            const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            const ratio = (hi + 0.05) / (lo + 0.05);
            const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
            const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ': ' + name(e) + ' "' + text.slice(0, 40) + '"');
          }
          // Nothing wider than the screen, except inside a table's own scroller.
          for (const e of document.querySelectorAll('body *')) {
            if (e.closest('.table-wrap') || !visible(e)) continue;
            const r = e.getBoundingClientRect();
            if (r.right > document.documentElement.clientWidth + 1) { problems.push('wider than the screen: ' + name(e) + ' (' + Math.round(r.right) + ' px)'); break; }
          }
          if (document.documentElement.scrollWidth > document.documentElement.clientWidth) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px');
          if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' h1 elements');
          if (!document.documentElement.lang) problems.push('no lang on html');
          return problems;
        }
        """;

    [ChromiumTheory]
    [InlineData("en-GB")]
    [InlineData("fr-BE")]
    [InlineData("nl-BE")]
    public async Task Every_page_is_labelled_readable_and_fits_360_px(string locale)
    {
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Approval);
        var record = _node.AddRecord(slug, """{"name":"Salle Aurore","seats":20,"kind":"hall","address":{"city":"Bruxelles"},"tags":["calme"]}""");
        var request = _node.AddIncomingRequest(slug);
        string[] pages =
        [
            "/", "/datasets", "/datasets/new", $"/datasets/{slug}", $"/datasets/{slug}/edit", $"/datasets/{slug}/sharing",
            $"/datasets/{slug}/records/new", $"/datasets/{slug}/records/{record.Id}", $"/datasets/{slug}/records/{record.Id}/delete",
            "/subscriptions", "/exchanges", $"/exchanges/{request.Ref}", "/account", "/members", "/members/admin", "/admin", "/admin/deliveries", "/admin/federation", "/admin/modules", "/admin/backup",
        ];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            BaseURL = _node.Address.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        });
        var page = await context.NewPageAsync();
        var csp = Chromium.WatchCsp(page);

        var problems = new List<string>();
        await page.GotoAsync("/signin");
        problems.AddRange((await page.EvaluateAsync<string[]>(Audit)).Select(p => $"/signin: {p}"));
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", UiNode.AdminPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");

        foreach (var path in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Ok, $"{path}: {response?.Status}");
            Assert.Equal(locale[..2], await page.EvaluateAsync<string>("document.documentElement.lang"));
            problems.AddRange((await page.EvaluateAsync<string[]>(Audit)).Select(p => $"{path}: {p}"));
            problems.AddRange((await Axe.ViolationsAsync(page)).Select(p => $"{path}: axe {p}"));

            // Keyboard: after the skip link, Tab reaches a control whose focus is visible.
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Tab");
            var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
            if (outline == "none") problems.Add($"{path}: no visible focus on {await page.EvaluateAsync<string>("document.activeElement.outerHTML.slice(0, 80)")}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Empty(csp);

        // The audit itself sees what it looks for: a faint paragraph, an unlabelled input and a too-wide block planted in the last page.
        await page.EvaluateAsync("""
            () => {
              const main = document.querySelector('main');
              const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#d0d0d0'; main.append(p);
              main.append(document.createElement('input'));
              const wide = document.createElement('div'); wide.style.width = '500px'; wide.textContent = 'wide'; main.append(wide);
            }
            """);
        var planted = await page.EvaluateAsync<string[]>(Audit);
        Assert.Contains(planted, p => p.StartsWith("contrast", StringComparison.Ordinal));
        Assert.Contains(planted, p => p.StartsWith("no label", StringComparison.Ordinal));
        Assert.Contains(planted, p => p.StartsWith("wider than the screen", StringComparison.Ordinal));
    }
}
