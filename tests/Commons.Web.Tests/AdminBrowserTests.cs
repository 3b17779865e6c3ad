using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The administration pages in a real browser (Chromium at /usr/bin/chromium): discard a dead letter through its
/// confirmation and block a domain with the keyboard-usable forms, no CSP violation, and no sideways scrolling at 360 px.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class AdminBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumFact]
    public async Task Discard_and_block_in_a_real_browser_at_360px()
    {
        var dead = _node.DeadLetters(2, error: "HTTP 403 refused by the peer because of a long and detailed reason");
        Directory.CreateDirectory(Chromium.ScreenshotFolder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "fr-BE", 360, 740);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);

        await page.GotoAsync("/signin");
        await page.GetByLabel("Nom d’utilisateur").FillAsync("admin");
        await page.GetByLabel("Mot de passe").FillAsync(UiNode.AdminPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync("/admin/deliveries");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), "the deliveries page scrolls sideways at 360 px: " +
            await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-wrap')).map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12).join(' ')"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "admin-deliveries-360px.png"), FullPage = true });
        await page.Locator($"#dead-{dead[0].Id} a").ClickAsync();
        await page.Locator("#confirm-discard button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("done=discarded", StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator($"#dead-{dead[0].Id}").CountAsync());
        Assert.Equal(1, await page.Locator($"#dead-{dead[1].Id}").CountAsync());

        await page.GotoAsync("/admin/federation");
        var domain = _node.Unique("navigateur") + ".example";
        await page.GetByLabel("Bloquer un domaine").FillAsync(domain);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("done=blocked", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator($"[id=\"block-{domain}\"]").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), "the federation page scrolls sideways at 360 px");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "admin-federation-360px.png"), FullPage = true });

        Assert.Empty(blocked);
    }
}
