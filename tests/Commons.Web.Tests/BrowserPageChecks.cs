using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>What the first-run and plain-words browser tests do on every page they open: sign in, and axe at both widths.</summary>
public static class BrowserPageChecks
{
    /// <summary>Signs in on the sign-in page as the node's first administrator and waits for the dashboard.</summary>
    public static async Task SignInAsAdminAsync(IPage page)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", UiNode.AdminPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        try
        {
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/",
                new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = Chromium.LoadedMachineTimeout });
        }
        catch (TimeoutException e)
        {
            var text = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
            throw new TimeoutException($"signing in did not lead to the dashboard; the page is {page.Url}: {text[..Math.Min(1500, text.Length)]}", e);
        }
    }

    /// <summary>axe over the open page at 360 and 1280 px, and no sideways scrolling of the page itself at either.</summary>
    public static async Task NoViolationsAtBothWidthsAsync(IPage page, string what)
    {
        foreach (var width in new[] { 360, 1280 })
        {
            await page.SetViewportSizeAsync(width, 900);
            var violations = await Axe.ViolationsAsync(page);
            Assert.True(violations.Count == 0, $"{what} at {width} px:\n{string.Join("\n", violations)}");
            var sideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            Assert.False(sideways, $"{what} scrolls sideways at {width} px");
        }
    }
}
