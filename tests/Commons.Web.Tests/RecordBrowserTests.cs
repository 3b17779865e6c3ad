using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The record pages in a real browser (Chromium, French): what its native inputs post (date, number, checkbox, select)
/// is what the node stores, an error shows next to its field, delete goes through its confirmation, and the form fits 360 px.
/// </summary>
[Collection(Flow.BrowserCollection.Name)]
public sealed class RecordBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [ChromiumFact]
    public async Task Create_fix_an_error_and_delete_a_record_in_a_real_browser()
    {
        var editor = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(UiNode.RoomsSchema, SharingPolicy.Private, (editor, GrantRole.Editor));
        Directory.CreateDirectory(Chromium.ScreenshotFolder);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), "fr-BE", 360, 740);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);

        await page.GotoAsync("/signin");
        await page.Locator("#username").FillAsync(editor);
        await page.Locator("#password").FillAsync(UiNode.MemberPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync($"/datasets/{slug}");
        await page.Locator("#new-record").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}/records/new");
        Assert.Equal("Nouvel enregistrement", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.True(await page.EvaluateAsync<bool>("document.querySelector('main').scrollWidth <= document.querySelector('main').clientWidth"), "the form is wider than 360 px");

        await page.GetByLabel("Name").FillAsync("Salle du fond");
        await page.Locator("#field-seats").FillAsync("25");
        await page.Locator("#field-price").FillAsync("3.5");
        await page.Locator("#field-accessible").CheckAsync();
        await page.Locator("#field-kind").SelectOptionAsync("office");
        await page.Locator("#field-opened").FillAsync("2025-03-31");
        await page.Locator("#field-address").FillAsync("{\"city\": ");
        await page.Locator("#shared").UncheckAsync();
        await page.Locator("#record-save").ClickAsync();

        // Refused: the message sits under the JSON field, the summary lists it, and what was typed is still there.
        await page.Locator("#error-address").WaitForAsync();
        Assert.Equal("true", await page.Locator("#field-address").GetAttributeAsync("aria-invalid"));
        Assert.Contains("JSON", await page.Locator("#error-address").InnerTextAsync());
        Assert.Contains("#field-address", await page.Locator("#record-errors a").First.GetAttributeAsync("href"));
        Assert.Equal("Salle du fond", await page.Locator("#field-name").InputValueAsync());
        Assert.Equal("office", await page.Locator("#field-kind").InputValueAsync());
        Assert.False(await page.Locator("#shared").IsCheckedAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "fr-5-record-error-360px.png"), FullPage = true });
        Assert.Equal(0, _node.LiveRecords(slug));

        await page.Locator("#field-address").FillAsync("{\"city\": \"Bruxelles\"}");
        await page.Locator("#record-save").ClickAsync();
        await page.Locator("#record-saved").WaitForAsync();
        var id = new Uri(page.Url).AbsolutePath.Split('/').Last();
        var stored = _node.Stored(slug, id)!;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(
            """{"name":"Salle du fond","seats":25,"price":3.5,"accessible":true,"kind":"office","opened":"2025-03-31","address":{"city":"Bruxelles"}}""").RootElement, stored.Data), stored.Data.GetRawText());
        Assert.False(stored.Shared);

        await page.Locator("#delete-record").ClickAsync();
        await page.Locator("#confirm-delete").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}");
        await page.Locator("#record-deleted").WaitForAsync();
        Assert.True(_node.Stored(slug, id)!.Deleted);
        Assert.Empty(blocked);
    }
}
