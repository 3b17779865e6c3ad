using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// A URL nothing answers, opened in Chromium in French and in Dutch: the "not found" page in the browser's language,
/// styled like every page (the stylesheet loads under the strict CSP), its link back reachable, signed in or not.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotFoundPageBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumTheory]
    [InlineData("fr-BE", "Introuvable", 360)]
    [InlineData("fr-BE", "Introuvable", 1280)]
    [InlineData("nl-BE", "Niet gevonden", 360)]
    [InlineData("nl-BE", "Niet gevonden", 1280)]
    public async Task An_unknown_url_shows_the_not_found_page_in_the_browser_s_language(string locale, string heading, int width)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), locale, width, 740);
        var page = await context.NewPageAsync();
        var csp = Chromium.WatchCsp(page);

        var response = await page.GotoAsync("/nulle-part/rien");

        Assert.Equal(404, response!.Status);
        Assert.Equal(locale[..2], await page.EvaluateAsync<string>("document.documentElement.lang"));
        await Chromium.ShotAsync(page, $"not-found-{locale[..2]}-{width}", heading);
        // ui.css applied: the header is laid out by the stylesheet, not the browser's defaults.
        Assert.NotEqual("block", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('header.top')).display"));
        Assert.True(await page.Locator("main a[href='/datasets']").IsVisibleAsync());
        Assert.Empty(csp);

        // Signed in, the same page keeps the navigation.
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", UiNode.AdminPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
        response = await page.GotoAsync("/nulle-part/rien");
        Assert.Equal(404, response!.Status);
        Assert.Equal(heading, (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.True(await page.Locator("form[action='/signout'] button").IsVisibleAsync());
        Assert.Empty(csp);
    }
}
