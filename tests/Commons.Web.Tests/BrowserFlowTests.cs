using Commons.Core.Datasets;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// A real browser (Debian's Chromium at /usr/bin/chromium, driven by Playwright; no browser download) through the interface:
/// sign in → dashboard → a dataset's page, in French and in Dutch, each page screenshotted into test-output and
/// checked to be a page (not blank) with its translated heading; and the same at 360 px without sideways scrolling.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class BrowserFlowTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;


    [ChromiumTheory]
    [InlineData("fr", "fr-BE", "Se connecter", "Tableau de bord", "Enregistrements")]
    [InlineData("nl", "nl-BE", "Aanmelden", "Overzicht", "Records")]
    public async Task Sign_in_dashboard_and_dataset_page_in_a_real_browser(string lang, string locale, string signInHeading, string dashboardHeading, string recordsHeading)
    {
        var steward = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Approval, $"Salles {lang}", (steward, GrantRole.Steward));
        _node.AddRecords(slug, 12, i => $$"""{"name":"Salle {{i}}","seats":{{10 + i}}}""");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), locale, 1024, 768);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);

        await page.GotoAsync("/");
        Assert.EndsWith("/signin", new Uri(page.Url).AbsolutePath);
        await Chromium.ShotAsync(page, $"{lang}-1-signin", signInHeading);

        await page.GetByLabel(lang == "fr" ? "Nom d’utilisateur" : "Gebruikersnaam").FillAsync(steward);
        await page.GetByLabel(lang == "fr" ? "Mot de passe" : "Wachtwoord").FillAsync(UiNode.MemberPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Chromium.ShotAsync(page, $"{lang}-2-dashboard", dashboardHeading);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Salles {lang}" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}");
        Assert.Equal(12, await page.Locator("#records tbody tr").CountAsync());
        Assert.Equal(recordsHeading, (await page.Locator("main h2").First.InnerTextAsync()).Trim());
        await Chromium.ShotAsync(page, $"{lang}-3-dataset", $"Salles {lang}");

        // Keyboard: the first Tab reaches the skip link, and focus is visible (an outline is drawn).
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.EvaluateAsync<string>("document.activeElement.className"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));

        // 360 px wide: nothing needs sideways scrolling outside the records table's own scroller.
        await page.SetViewportSizeAsync(360, 740);
        await page.ReloadAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), "the page scrolls sideways at 360 px");
        await Chromium.ShotAsync(page, $"{lang}-4-dataset-360px", $"Salles {lang}");

        Assert.Empty(blocked);
    }
}
