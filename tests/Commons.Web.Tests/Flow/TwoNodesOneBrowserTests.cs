using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// The README's two-node quickstart in one real browser: Chromium keeps cookies per host, not per port, so both nodes
/// on 127.0.0.1 see each other's cookies; each node's names carry its port, so neither sign-in ends the other.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoNodesOneBrowserTests
{
    [ChromiumFact]
    public async Task Signed_in_to_two_local_nodes_at_once_and_signing_out_of_one_leaves_the_other()
    {
        await using var a = new UiNode();
        await using var b = new UiNode();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, a.Address.ToString().TrimEnd('/'), "fr-BE", 1280, 800);
        var page = await context.NewPageAsync();

        await SignInAsync(page, a.Address);
        await SignInAsync(page, b.Address);

        Assert.Equal("/", await PathAfterGoingToAsync(page, new Uri(a.Address, "/")));
        Assert.Equal("/", await PathAfterGoingToAsync(page, new Uri(b.Address, "/")));
        var names = (await context.CookiesAsync()).Select(c => c.Name).ToList();
        Assert.Contains($"port{a.Address.Port}-commons_ui", names);
        Assert.Contains($"port{b.Address.Port}-commons_ui", names);

        await page.Locator("form[action='/signout'] button").ClickAsync();
        try { await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/signin"); }
        catch (TimeoutException)
        {
            // This wait timed out twice in four runs among the other Flow tests and never alone: say where the sign-out landed.
            var html = await page.ContentAsync();
            throw new TimeoutException($"signing out of {b.Address} did not lead to /signin; the page is {page.Url}: {html[..Math.Min(2000, html.Length)]}");
        }
        Assert.Equal("/signin", await PathAfterGoingToAsync(page, new Uri(b.Address, "/")));
        Assert.Equal("/", await PathAfterGoingToAsync(page, new Uri(a.Address, "/")));
    }

    [ChromiumFact]
    public async Task A_form_rendered_by_one_node_still_posts_after_the_other_node_set_its_cookies_in_the_same_browser()
    {
        await using var a = new UiNode();
        await using var b = new UiNode();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, a.Address.ToString().TrimEnd('/'), "fr-BE", 1280, 800);
        var onA = await context.NewPageAsync();
        await SignInAsync(onA, a.Address);

        // A's page holds A's antiforgery token; meanwhile, in another tab, B signs in and changes its language, so that
        // B sets its antiforgery, sign-in and language cookies after A's (under one name they would replace A's).
        Assert.Equal("/", await PathAfterGoingToAsync(onA, new Uri(a.Address, "/")));
        var onB = await context.NewPageAsync();
        await SignInAsync(onB, b.Address);
        await ChangeLanguageAsync(onB, "nl");
        Assert.Equal("nl", await onB.Locator("html").GetAttributeAsync("lang"));

        // The form A rendered before is posted: A takes its token, keeps the member signed in and sets its own language.
        await ChangeLanguageAsync(onA, "en");
        Assert.Equal(a.Address.Port, new Uri(onA.Url).Port);
        Assert.Equal("/", new Uri(onA.Url).AbsolutePath);
        Assert.Equal("en", await onA.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(1, await onA.Locator("form[action='/signout']").CountAsync());
        Assert.Equal("/", await PathAfterGoingToAsync(onB, new Uri(b.Address, "/")));
        Assert.Equal("nl", await onB.Locator("html").GetAttributeAsync("lang"));
    }

    /// <summary>
    /// Submits the page's language form as the page holds it; the node must take the post (a redirect, not the 400 of a
    /// token that does not match the antiforgery cookie), and the page it leads to is in that language.
    /// </summary>
    private static async Task ChangeLanguageAsync(IPage page, string lang)
    {
        await page.SelectOptionAsync("#lang-select", lang);
        var post = await page.RunAndWaitForResponseAsync(
            () => page.Locator("form[action='/ui/language'] button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/ui/language");
        Assert.Equal(302, post.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang, new() { Timeout = Chromium.LoadedMachineTimeout });
    }

    private static async Task SignInAsync(IPage page, Uri node)
    {
        await page.GotoAsync(new Uri(node, "/signin").ToString());
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", UiNode.AdminPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).Port == node.Port && new Uri(u).AbsolutePath == "/");
    }

    private static async Task<string> PathAfterGoingToAsync(IPage page, Uri url)
    {
        await page.GotoAsync(url.ToString());
        return new Uri(page.Url).AbsolutePath;
    }
}
