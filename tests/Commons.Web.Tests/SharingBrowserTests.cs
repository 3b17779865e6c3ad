using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The sharing and subscription pages in a real browser (Chromium at /usr/bin/chromium) at 360 px, in French: the clicked
/// row's button is the one that counts, the removal asks first, nothing scrolls sideways and the CSP blocks nothing.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class SharingBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumFact]
    public async Task A_steward_accepts_one_request_and_removes_a_follower_by_clicking_at_360_px()
    {
        var steward = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Salles partagées", (steward, GrantRole.Steward));
        var first = _node.AddFollower(slug, "premier.example", FollowerState.Pending);
        var second = _node.AddFollower(slug, "second-noeud-avec-un-nom-long.example", FollowerState.Pending);
        var subscription = _node.AddSubscription("Outils de la Vallée", SubscriptionState.Accepted);
        _node.AddReplicas(subscription, 5, i => $$"""{"outil":"Perceuse {{i}}","lieu":"Atelier"}""", verified: i => i != 4);
        Directory.CreateDirectory(Chromium.ScreenshotFolder);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "fr-BE", 360, 740);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);

        await page.GotoAsync("/signin");
        await page.GetByLabel("Nom d’utilisateur").FillAsync(steward);
        await page.GetByLabel("Mot de passe").FillAsync(UiNode.MemberPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync($"/datasets/{slug}/sharing");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "fr-sharing-360px.png"), FullPage = true });
        await NoSidewaysScroll(page, "sharing");

        // The second row's Accept: only that request is answered.
        await page.Locator($"#pending-requests tr[data-actor=\"{second.ActorUri}\"] button.accept").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Query.Contains("done=accepted", StringComparison.Ordinal));
        Assert.Contains("suit maintenant ce jeu de données", await page.Locator("#sharing-done").InnerTextAsync());
        Assert.Equal(1, await page.Locator($"#followers tr[data-actor=\"{second.ActorUri}\"]").CountAsync());
        Assert.Equal(1, await page.Locator($"#pending-requests tr[data-actor=\"{first.ActorUri}\"]").CountAsync());

        // Removing asks first; confirming removes and lists the revocation, waiting for the peer's confirmation.
        await page.Locator($"#followers tr[data-actor=\"{second.ActorUri}\"] button.remove").ClickAsync();
        await page.Locator("#confirm-remove").WaitForAsync();
        await NoSidewaysScroll(page, "confirm-remove");
        await page.Locator("#confirm-remove button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).Query.Contains("done=removed", StringComparison.Ordinal));
        Assert.Contains("en attente de confirmation depuis", await page.Locator($"#revocations tr[data-actor=\"{second.ActorUri}\"]").InnerTextAsync());

        // The replica of a followed dataset: its origin said once above the table, only the unverified record marked.
        await page.GotoAsync($"/subscriptions/{subscription.Id}");
        Assert.Equal(0, await page.Locator("#replica-records .badge.verified").CountAsync());
        Assert.Equal(1, await page.Locator("#replica-records .badge.unverified").CountAsync());
        await NoSidewaysScroll(page, "subscription");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "fr-subscription-360px.png"), FullPage = true });
        await page.GotoAsync("/subscriptions");
        await NoSidewaysScroll(page, "subscriptions");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "fr-subscriptions-360px.png"), FullPage = true });

        Assert.Empty(blocked);
    }

    private static async Task NoSidewaysScroll(IPage page, string what)
    {
        // The page's own content (the shared header is the layout's, measured without it) does not scroll sideways,
        // and the answer buttons of a table fit without scrolling the table.
        var pageFits = await page.EvaluateAsync<bool>(
            "(() => { const h = document.querySelector('header.top'); h.style.display = 'none'; const fits = document.documentElement.scrollWidth <= window.innerWidth; h.style.display = ''; return fits; })()");
        Assert.True(pageFits, $"{what} scrolls sideways at 360 px");
        var buttons = await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('main button')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
        Assert.True(buttons.Length == 0, $"{what}: buttons out of view at 360 px: {buttons}");
    }
}
