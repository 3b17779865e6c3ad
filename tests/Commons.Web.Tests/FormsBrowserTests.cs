using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Services;
using Commons.Node.Web.Datasets;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// The dataset and record forms in Chromium, in French and Dutch at 360 and 1280 px: fields labelled in the member's
/// words with keys made from the labels, Enter pressing the main button, JSON shown as typed, focus on the error
/// summary after a refused post, and axe finding nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FormsBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    public static TheoryData<string, int> Views => new() { { "fr-BE", 360 }, { "fr-BE", 1280 }, { "nl-BE", 360 }, { "nl-BE", 1280 } };

    private sealed record Session(IPlaywright Playwright, IBrowser Browser, IPage Page, List<string> Blocked) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    private async Task<Session> SignedInAsync(string locale, int width, string username, string password)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await Chromium.LaunchAsync(playwright);
        var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), locale, width, 900);
        var page = await context.NewPageAsync();
        var blocked = Chromium.WatchCsp(page);
        await page.GotoAsync("/signin");
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return new Session(playwright, browser, page, blocked);
    }

    private static async Task AssertAccessibleAsync(IPage page, string what, int width)
    {
        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{what}: {string.Join("\n", violations)}");
        var wide = await page.EvaluateAsync<string>(
            $"[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > {width + 1} && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ')");
        Assert.True(wide.Length == 0, $"{what} is wider than {width} px: {wide}");
    }

    private static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("document.activeElement ? document.activeElement.id : ''");

    [ChromiumTheory]
    [MemberData(nameof(Views))]
    public async Task Enter_creates_the_dataset_with_keys_from_the_labels_and_the_record_form_shows_the_labels(string locale, int width)
    {
        var lang = locale[..2];
        var other = lang == "fr" ? "nl" : "fr";
        var member = _node.CreateMember();
        var slug = _node.Unique("ateliers-");
        await using var s = await SignedInAsync(locale, width, member, UiNode.MemberPassword);
        var page = s.Page;

        await page.GotoAsync("/datasets/new");
        Assert.EndsWith("/datasets/", await page.Locator("#slug-prefix").InnerTextAsync());
        await AssertAccessibleAsync(page, $"{locale} new dataset", width);
        await page.FillAsync("#slug", slug);
        await page.FillAsync($"#title-{lang}", "Ateliers");
        await page.FillAsync("#field-label-0", lang == "fr" ? "Nom de l'atelier" : "Naam van de workshop");
        await page.Locator("#field-required-0").CheckAsync();
        await page.Locator("#field-0 details.field-more > summary").ClickAsync();
        await page.FillAsync($"#field-label-{other}-0", lang == "fr" ? "Naam van de workshop" : "Nom de l'atelier");
        await page.FillAsync("#field-description-0", "Comme sur l’affiche");
        await page.FillAsync("#field-label-1", "public visé");
        await AssertAccessibleAsync(page, $"{locale} new dataset, a field's settings open", width);
        // Enter in a field's label: the form's main action (create), not the first button in the page ("add fields").
        await page.Locator("#field-label-1").PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}");

        var schema = JsonNode.Parse(_node.Dataset(slug).Schema)!;
        var properties = schema["properties"]!.AsObject();
        Assert.Equal(["nom_de_l_atelier", "public_vise"], properties.Select(p => p.Key));
        Assert.Equal("Nom de l'atelier", (string)properties["nom_de_l_atelier"]!["x-titles"]!["fr"]!);
        Assert.Equal("Naam van de workshop", (string)properties["nom_de_l_atelier"]!["x-titles"]!["nl"]!);
        Assert.Equal("Comme sur l’affiche", (string)properties["nom_de_l_atelier"]!["description"]!);
        Assert.Equal("public visé", (string)properties["public_vise"]!["title"]!);
        Assert.Equal(["nom_de_l_atelier"], schema["required"]!.AsArray().Select(n => (string)n!));

        await page.GotoAsync($"/datasets/{slug}/records/new");
        Assert.StartsWith(lang == "fr" ? "Nom de l'atelier" : "Naam van de workshop", (await page.Locator("label[for=field-nom_de_l_atelier]").InnerTextAsync()).Trim());
        Assert.Equal("public visé", (await page.Locator("label[for=field-public_vise]").InnerTextAsync()).Trim());
        Assert.Equal("Comme sur l’affiche", (await page.Locator("#hint-nom_de_l_atelier").InnerTextAsync()).Trim());
        Assert.Equal("hint-nom_de_l_atelier", await page.Locator("#field-nom_de_l_atelier").GetAttributeAsync("aria-describedby"));
        // What the schema does not list waits behind a closed disclosure, in plain words.
        Assert.Equal(1, await page.Locator("details.record-other:not([open]) > summary").CountAsync());
        Assert.DoesNotContain("(JSON)", await page.Locator("details.record-other > summary").InnerTextAsync());
        await AssertAccessibleAsync(page, $"{locale} new record", width);
        await page.FillAsync("#field-nom_de_l_atelier", "Atelier vélo");
        await page.Locator("#field-public_vise").PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith($"/datasets/{slug}/records/", StringComparison.Ordinal) && !url.EndsWith("/new", StringComparison.Ordinal));
        // The same fields in the record page's form; Enter saves there too.
        Assert.StartsWith(lang == "fr" ? "Nom de l'atelier" : "Naam van de workshop", (await page.Locator("label[for=field-nom_de_l_atelier]").InnerTextAsync()).Trim());
        await page.FillAsync("#field-public_vise", "enfants");
        await page.Locator("#field-public_vise").PressAsync("Enter");
        await page.Locator("#record-saved").WaitForAsync();
        Assert.Equal("enfants", await page.InputValueAsync("#field-public_vise"));

        // Back in the builder, labels and help as typed; Enter in the title saves.
        await page.GotoAsync($"/datasets/{slug}/edit");
        Assert.Equal(lang == "fr" ? "Nom de l'atelier" : "Naam van de workshop", await page.InputValueAsync("#field-label-0"));
        Assert.Equal("nom_de_l_atelier", await page.InputValueAsync("#field-name-0"));
        Assert.Equal("Comme sur l’affiche", await page.InputValueAsync("#field-description-0"));
        await AssertAccessibleAsync(page, $"{locale} dataset settings", width);
        await page.FillAsync($"#title-{lang}", "Ateliers d’été");
        await page.Locator($"#title-{lang}").PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}");
        var saved = _node.Dataset(slug);
        Assert.Equal("Ateliers d’été", lang == "fr" ? saved.Title.Fr : saved.Title.Nl);
        Assert.True(JsonNode.DeepEquals(schema, JsonNode.Parse(saved.Schema)), saved.Schema);
        Assert.Empty(s.Blocked);
    }

    [ChromiumTheory]
    [MemberData(nameof(Views))]
    public async Task After_a_refused_post_the_error_summary_has_the_focus_and_links_to_the_fields(string locale, int width)
    {
        var member = _node.CreateMember();
        var slug = _node.Unique("places-");
        _node.Service<DatasetService>().Create(UiNode.Admin, new DatasetDraft
        {
            Slug = slug,
            Title = new LocalizedText("Places", "Plaatsen", "Seats"),
            Schema = """{"type":"object","properties":{"places":{"type":"integer","maximum":10,"title":"Places","x-titles":{"nl":"Plaatsen"}}},"required":["places"]}""",
        });
        _node.Service<DatasetService>().SetGrant(UiNode.Admin, slug, member, GrantRole.Editor);
        await using var s = await SignedInAsync(locale, width, member, UiNode.MemberPassword);
        var page = s.Page;

        await page.GotoAsync("/datasets/new");
        await page.FillAsync("#slug", "Pas Bon!");
        await page.Locator("#dataset-save").ClickAsync();
        await page.Locator("#form-errors").WaitForAsync();
        Assert.Equal("form-errors", await FocusedIdAsync(page));
        Assert.Equal(1, await page.Locator("#form-errors a[href='#slug']").CountAsync());
        await AssertAccessibleAsync(page, $"{locale} refused new dataset", width);

        await page.GotoAsync($"/datasets/{slug}/records/new");
        Assert.StartsWith(locale.StartsWith("fr", StringComparison.Ordinal) ? "Places" : "Plaatsen", (await page.Locator("label[for=field-places]").InnerTextAsync()).Trim());
        await page.FillAsync("#field-places", "50"); // the browser lets it through; the schema's maximum does not
        await page.Locator("#record-save").ClickAsync();
        await page.Locator("#record-errors").WaitForAsync();
        Assert.Equal("record-errors", await FocusedIdAsync(page));
        Assert.Equal(1, await page.Locator("#record-errors a[href='#field-places']").CountAsync());
        await AssertAccessibleAsync(page, $"{locale} refused new record", width);
        Assert.Empty(s.Blocked);
    }

    [ChromiumTheory]
    [MemberData(nameof(Views))]
    public async Task Json_for_editing_shows_accents_and_markup_as_typed_and_goes_back_to_the_builder(string locale, int width)
    {
        const string label = "Prêt <à> & \"partir\"";
        var (schema, errors) = SchemaFields.ToSchema([new SchemaFieldRow { LabelFr = label, LabelNl = "Klaar", Type = "enum", Options = "prêt, <b>, a&b, \"q\"" }]);
        Assert.Empty(errors);
        var slug = _node.Unique("pret-");
        var member = _node.CreateMember();
        var datasets = _node.Service<DatasetService>();
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText("Prêt", "Klaar", null), Schema = schema });
        datasets.SetGrant(UiNode.Admin, slug, member, GrantRole.Steward);
        await using var s = await SignedInAsync(locale, width, member, UiNode.MemberPassword);
        var page = s.Page;

        await page.GotoAsync($"/datasets/{slug}/edit");
        Assert.Equal(label, await page.InputValueAsync(locale.StartsWith("fr", StringComparison.Ordinal) ? "#field-label-0" : "#field-label-fr-0"));
        await page.Locator("#schema-to-json").ClickAsync();
        var json = await page.InputValueAsync("#schema-json");
        Assert.Contains("\"Prêt <à> & \\\"partir\\\"\"", json);
        Assert.Contains("\"<b>\"", json);
        Assert.Contains("\"a&b\"", json);
        Assert.DoesNotContain("\\u00", json);
        Assert.DoesNotContain("\\u003C", json);
        Assert.Contains("&lt;b&gt;", await page.ContentAsync()); // Razor encodes the text for HTML
        await AssertAccessibleAsync(page, $"{locale} schema as JSON", width);

        await page.Locator("#schema-to-builder").ClickAsync();
        await page.Locator("#field-label-0").WaitForAsync();
        Assert.Equal("prêt, <b>, a&b, \"q\"", await page.InputValueAsync("#field-options-0"));
        await page.Locator("#dataset-save").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(schema!), JsonNode.Parse(_node.Dataset(slug).Schema)), _node.Dataset(slug).Schema);

        // A record's information beyond the fields, in its own disclosure: as typed too, and saved back unchanged.
        const string note = "<b>&\"x\" été";
        var id = _node.Service<RecordService>().Create(UiNode.Admin, slug, null,
            System.Text.Json.JsonDocument.Parse($$"""{"pret_a_partir": "prêt", "note": {{System.Text.Json.JsonSerializer.Serialize(note)}}}""").RootElement.Clone(), true).Record.Id;
        await page.GotoAsync($"/datasets/{slug}/records/{id}");
        Assert.Equal(1, await page.Locator("details.record-other[open]").CountAsync());
        var other = await page.InputValueAsync("#record-other");
        Assert.Contains("\"<b>&\\\"x\\\" été\"", other);
        Assert.DoesNotContain("\\u00", other);
        await page.Locator("#record-save").ClickAsync();
        await page.Locator("#record-saved").WaitForAsync();
        var data = _node.Service<RecordService>().Get(UiNode.Admin, slug, id).Data;
        Assert.Equal(note, data.GetProperty("note").GetString());
        Assert.Equal("prêt", data.GetProperty("pret_a_partir").GetString());
        Assert.Empty(s.Blocked);
    }
}
