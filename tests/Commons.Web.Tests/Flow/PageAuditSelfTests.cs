using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// The audit's own checks see what they look for: problems planted in a real page are each reported, and the
/// screenshot check refuses a blank page and a wrong heading.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageAuditSelfTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumFact]
    public async Task The_audit_reports_each_planted_problem()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "fr-BE", 360, 740);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        var (clean, _) = await PageAudit.RunAsync(page);
        Assert.Empty(clean);

        await page.EvaluateAsync(PageAudit.Plant);
        var (planted, _) = await PageAudit.RunAsync(page);

        string[] expected =
        [
            "contrast ", "no label: input", "wider than the screen: div", "the page scrolls sideways", "scroller not reachable from the keyboard",
            "off the screen: ", "cut off by the overflow:hidden of div: a", "content cut off: div", "table cell hidden: table column 2", "axe image-alt",
        ];
        foreach (var start in expected)
            Assert.True(planted.Any(p => p.StartsWith(start, StringComparison.Ordinal)), $"no \"{start}…\" among:{Environment.NewLine}{string.Join(Environment.NewLine, planted)}");
    }

    [ChromiumFact]
    public async Task The_screenshot_check_refuses_a_blank_page_and_a_wrong_heading()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "nl-BE", 360, 740);
        var page = await context.NewPageAsync();

        await page.SetContentAsync("<html lang=\"nl\"><body></body></html>");
        var empty = await Chromium.CheckShotAsync(page, "self-check-empty", "Aanmelden");
        Assert.Contains(empty, p => p.Contains("the heading is \"\"", StringComparison.Ordinal));
        Assert.Contains(empty, p => p.Contains("looks blank", StringComparison.Ordinal));

        // The right heading, but white on white: still blank.
        await page.SetContentAsync("<html lang=\"nl\"><body><h1 style=\"color:#fff\">Aanmelden</h1></body></html>");
        var white = await Chromium.CheckShotAsync(page, "self-check-white", "Aanmelden");
        Assert.DoesNotContain(white, p => p.Contains("the heading", StringComparison.Ordinal));
        Assert.Contains(white, p => p.Contains("looks blank", StringComparison.Ordinal));

        // The real page passes, and fails when another heading is expected.
        await page.GotoAsync("/signin");
        var heading = (await page.Locator("h1").InnerTextAsync()).Trim();
        Assert.Empty(await Chromium.CheckShotAsync(page, "self-check-signin", heading));
        Assert.Contains(await Chromium.CheckShotAsync(page, "self-check-signin", "Sign in"), p => p.Contains("expected \"Sign in\"", StringComparison.Ordinal));
    }
}
