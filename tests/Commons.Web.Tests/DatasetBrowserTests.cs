using Commons.Core.Datasets;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The dataset form in a real browser without script help (Chromium at /usr/bin/chromium, in French): a member creates
/// a dataset with the field builder by keyboard and mouse, lands on its page, and the edit page fits 360 px.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class DatasetBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumFact]
    public async Task A_member_creates_a_dataset_with_the_builder_in_french_and_the_edit_page_fits_360_px()
    {
        var member = _node.CreateMember();
        var slug = _node.Unique("salles-");
        Directory.CreateDirectory(Chromium.ScreenshotFolder);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "fr-BE", 1024, 900);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);

        await page.GotoAsync("/signin");
        await page.GetByLabel("Nom d’utilisateur").FillAsync(member);
        await page.GetByLabel("Mot de passe").FillAsync(UiNode.MemberPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync("/datasets");
        await page.Locator("#new-dataset").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/datasets/new");
        await page.GetByLabel("Adresse web").FillAsync(slug);
        await page.GetByLabel("Titre en français").FillAsync("Salles de réunion");
        await page.Locator("#policy").SelectOptionAsync("Approval");
        await page.FillAsync("#field-label-0", "Nom");
        await page.Locator("#field-required-0").CheckAsync();
        await page.FillAsync("#field-label-1", "Genre");
        await page.Locator("#field-type-1").SelectOptionAsync("enum");
        await page.FillAsync("#field-options-1", "salle, bureau");
        await page.Locator("#add-rows").ClickAsync();
        Assert.Equal("Genre", await page.Locator("#field-label-1").InputValueAsync());
        Assert.Equal(6, await page.Locator("input[id^=field-name-]").CountAsync());
        await page.FillAsync("#field-label-3", "Places");
        await page.Locator("#field-type-3").SelectOptionAsync("integer");
        await page.Locator("#dataset-save").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}");

        var d = _node.Dataset(slug);
        Assert.Equal(("Salles de réunion", SharingPolicy.Approval, GrantRole.Steward), (d.Title.Fr, d.Policy, d.GrantOf(member)));
        Assert.Contains("\"places\":{\"type\":\"integer\",\"title\":\"Places\"", d.Schema);

        await page.SetViewportSizeAsync(360, 740);
        await page.GotoAsync($"/datasets/{slug}/edit");
        Assert.Equal("Paramètres\u00A0: Salles de réunion", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("places", await page.Locator("#field-name-2").InputValueAsync());
        // The form itself fits (the header's navigation is the layout's, checked by BrowserFlowTests).
        var wide = await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ')");
        Assert.True(wide.Length == 0, $"the edit form is wider than 360 px: {wide}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "fr-dataset-edit-360px.png"), FullPage = true });
        Assert.Empty(blocked);
    }
}
