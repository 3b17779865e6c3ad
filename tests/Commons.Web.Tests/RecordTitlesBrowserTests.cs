using Commons.Core.Datasets;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// Records named by their title in a real browser (Chromium, fr and nl, 360 and 1280 px): the table's links, the record's
/// heading and the dashboard say titles, not ids; at 1280 px the table fits its container with long e-mails and
/// communes; at 360 px each row is a card whose cells carry their labels and every action stays on screen; axe finds nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordTitlesBrowserTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    public const string PlacesSchema = """
        {"type":"object","properties":{
          "name":{"type":"string","title":"Name","x-titles":{"fr":"Nom","nl":"Naam"},"maxLength":80},
          "email":{"type":"string","format":"email","x-titles":{"fr":"Courriel","nl":"E-mailadres","en":"E-mail"}},
          "commune":{"type":"string","x-titles":{"fr":"Commune","nl":"Gemeente","en":"Municipality"}},
          "seats":{"type":"integer","x-titles":{"fr":"Places","nl":"Plaatsen","en":"Seats"}},
          "price":{"type":"number","x-titles":{"fr":"Prix","nl":"Prijs","en":"Price"}},
          "accessible":{"type":"boolean","x-titles":{"fr":"Accessible","nl":"Toegankelijk","en":"Accessible"}},
          "opened":{"type":"string","format":"date","x-titles":{"fr":"Ouverture","nl":"Opening","en":"Opened"}},
          "notes":{"type":"string","maxLength":2000},
          "address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}},
          "tags":{"type":"array","items":{"type":"string"}}
        }}
        """;

    public static readonly string[] Names = ["Salle polyvalente du centre culturel", "Atelier vélo", "Local des jeunes"];

    /// <summary>A dataset of three places with long values, an editor and a viewer; returns its slug and the editor.</summary>
    public (string Slug, string Editor) ThreePlaces(params string[] columns)
    {
        var editor = _node.CreateMember();
        var slug = _node.CreateDatasetWithSchema(PlacesSchema, SharingPolicy.Private, (editor, GrantRole.Editor));
        if (columns.Length > 0) _node.Service<Commons.Core.Services.DatasetService>().Update(UiNode.Admin, slug, new DatasetDraft { Columns = columns });
        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
            _node.AddRecord(slug, $$"""
                {"name":"{{name}}","email":"reservations.salle-polyvalente-{{i}}@maison-des-associations-anderlecht.example.org",
                 "commune":"Sint-Jans-Molenbeek / Molenbeek-Saint-Jean (quartier maritime, près du canal)","seats":{{120 + i}},"price":12.5,
                 "accessible":true,"opened":"2024-09-0{{i + 1}}","notes":"Clés chez la voisine du premier étage, sonner deux fois.",
                 "address":{"street":"Rue de la Colonne 1","city":"Bruxelles"},"tags":["vélo","réparation"]}
                """);
        return (slug, editor);
    }

    private async Task<(IBrowserContext Context, IPage Page)> SignedInPageAsync(IBrowser browser, string user, string locale, int width)
    {
        var context = await Chromium.NewContextAsync(browser, _node.Address.ToString().TrimEnd('/'), locale, width, 800);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(UiNode.MemberPassword);
        await page.Locator("form.stack button[type=submit]").ClickAsync();
        // The first sign-in of a run can be slow on a loaded machine (the node warms up): a longer deadline, and where it landed if not.
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new() { Timeout = 90_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the sign-in of {user} landed on {page.Url}");
        }
        return (context, page);
    }

    /// <summary>Whether the records table fits its scroller (nothing to scroll sideways).</summary>
    private const string Fits = "(() => { const w = document.querySelector('#records').closest('.table-wrap'); return w.scrollWidth <= w.clientWidth; })()";

    /// <summary>Why it does not: the scroller's widths and each column's, for the failure message.</summary>
    private const string Widths = "(() => { const w = document.querySelector('#records').closest('.table-wrap'); return `the records table is wider than its container: ${w.scrollWidth} > ${w.clientWidth}; columns ` + [...document.querySelectorAll('#records thead th')].map(t => t.innerText.trim() + '=' + Math.round(t.getBoundingClientRect().width)).join(', '); })()";

    private static async Task AssertNoAxeViolationsAsync(IPage page, string where)
    {
        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{where}: {string.Join("\n", violations)}");
    }

    /// <summary>Whether the element is inside the viewport's width (an action a member can reach without scrolling sideways).</summary>
    private static async Task AssertWithinWidthAsync(ILocator element, int width, string what)
    {
        await element.ScrollIntoViewIfNeededAsync();
        var box = await element.BoundingBoxAsync();
        Assert.True(box is not null, $"{what} is not shown");
        Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5, $"{what} is at x={box.X}..{box.X + box.Width}, outside {width} px");
    }

    [ChromiumTheory]
    [InlineData("fr-BE", "Nom", "Courriel", "Places", "Partagé")]
    [InlineData("nl-BE", "Naam", "E-mailadres", "Plaatsen", "Gedeeld")]
    public async Task Titles_name_records_and_the_table_fits_at_1280_and_becomes_cards_at_360(string locale, string nameLabel, string emailLabel, string seatsLabel, string sharedLabel)
    {
        // Eight columns, objects and lists among them: the widest table a steward is likely to choose.
        string[] columns = ["email", "commune", "seats", "price", "accessible", "opened", "address", "tags"];
        var (slug, editor) = ThreePlaces(columns);
        var lang = locale[..2];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        // 1280 px: the title column links each record by its title; no id column; the table fits its scroller.
        var (wide, page) = await SignedInPageAsync(browser, editor, locale, 1280);
        await using (wide)
        {
            var blocked = Chromium.WatchCsp(page);
            await page.GotoAsync($"/datasets/{slug}");
            var links = await page.Locator("#records tbody th[scope=row] a").AllInnerTextsAsync();
            Assert.Equal(Names.OrderBy(n => n, StringComparer.Ordinal), links.Select(l => l.Trim()).OrderBy(n => n, StringComparer.Ordinal));
            var headers = (await page.Locator("#records thead th").AllInnerTextsAsync()).Select(h => h.Replace("▲", "").Trim()).ToList();
            Assert.Equal(nameLabel, headers[0]);
            Assert.Contains(emailLabel, headers);
            Assert.Contains(seatsLabel, headers);
            Assert.Contains(sharedLabel, headers);
            var tableText = await page.Locator("#records").InnerTextAsync();
            Assert.DoesNotContain("{", tableText);
            Assert.Contains("Bruxelles", tableText); // an object shown as its values
            Assert.Contains("vélo, réparation", tableText);
            Assert.Contains("12,5", tableText); // a decimal comma in both languages
            Assert.Contains(new DateOnly(2024, 9, 1).ToString("d", System.Globalization.CultureInfo.GetCultureInfo(lang)), tableText);
            Assert.True(await page.EvaluateAsync<bool>(Fits), await page.EvaluateAsync<string>(Widths));
            Assert.Equal("0", await page.Locator(".records-wrap").GetAttributeAsync("tabindex"));
            await AssertNoAxeViolationsAsync(page, $"{locale} dataset 1280");
            await Chromium.ShotAsync(page, $"{lang}-titles-dataset-1280px", lang == "fr" ? "Salles" : "Zalen");

            // The record page: its title as heading, the technical facts folded away.
            await page.GetByRole(AriaRole.Link, new() { Name = Names[1], Exact = true }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith($"/datasets/{slug}/records/", StringComparison.Ordinal));
            Assert.Equal(Names[1], (await page.Locator("h1").InnerTextAsync()).Trim());
            Assert.False(await page.Locator("#record-id").IsVisibleAsync());
            await page.Locator("#record-details summary").ClickAsync();
            Assert.True(await page.Locator("#record-id").IsVisibleAsync());
            var main = await page.Locator("main").InnerTextAsync();
            Assert.DoesNotContain("évision", main);
            Assert.DoesNotContain("mpreinte", main);
            await AssertNoAxeViolationsAsync(page, $"{locale} record 1280");

            // The dashboard names the changes by title, in words.
            await page.GotoAsync("/");
            var changes = await page.Locator("#local-changes").InnerTextAsync();
            Assert.Contains(Names[2], changes);
            Assert.Contains(lang == "fr" ? "ajouté" : "toegevoegd", changes);
            var named = (await page.Locator("#local-changes tbody td:first-child").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
            Assert.Contains(Names[2], named);
            Assert.True(await page.Locator("#local-changes tbody td:first-child a").CountAsync() >= 3, "the records are not linked");
            await AssertNoAxeViolationsAsync(page, $"{locale} dashboard 1280");
            Assert.Empty(blocked);
        }

        // 360 px: each row a card; every cell shows its label; the actions stay in view.
        var (narrow, small) = await SignedInPageAsync(browser, editor, locale, 360);
        await using (narrow)
        {
            await small.GotoAsync($"/datasets/{slug}");
            var firstRow = small.Locator("#records tbody tr").First;
            Assert.Equal("block", await firstRow.EvaluateAsync<string>("e => getComputedStyle(e).display"));
            var cells = firstRow.Locator("td");
            var count = await cells.CountAsync();
            Assert.Equal(columns.Length + 2, count); // the chosen columns, shared, changed
            for (var i = 0; i < count; i++)
            {
                var cell = cells.Nth(i);
                var label = await cell.GetAttributeAsync("data-label");
                Assert.False(string.IsNullOrEmpty(label));
                var before = await cell.EvaluateAsync<string>("e => getComputedStyle(e, '::before').content");
                Assert.Contains(label!, before);
                Assert.False(string.IsNullOrWhiteSpace(await cell.InnerTextAsync()), $"cell {label} is empty");
                await AssertWithinWidthAsync(cell, 360, $"cell {label}");
            }
            await AssertWithinWidthAsync(small.Locator("#new-record"), 360, "new record");
            await AssertWithinWidthAsync(small.Locator("#q"), 360, "search");
            await AssertWithinWidthAsync(small.Locator("form.filter button[type=submit]"), 360, "search button");
            await AssertWithinWidthAsync(firstRow.Locator("th a"), 360, "the record's link");
            var sorts = small.Locator("#records thead a.sort");
            for (var i = 0; i < await sorts.CountAsync(); i++) await AssertWithinWidthAsync(sorts.Nth(i), 360, $"sort link {i}");
            Assert.True(await small.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than 360 px");
            await AssertNoAxeViolationsAsync(small, $"{locale} dataset 360");
            await Chromium.ShotAsync(small, $"{lang}-titles-dataset-360px", lang == "fr" ? "Salles" : "Zalen");

            await small.GotoAsync("/");
            await AssertWithinWidthAsync(small.Locator("#local-changes tbody tr").First.Locator("a").First, 360, "dashboard link");
            await AssertNoAxeViolationsAsync(small, $"{locale} dashboard 360");
        }
    }

    [ChromiumTheory]
    [InlineData("fr-BE", 1280)]
    [InlineData("nl-BE", 360)]
    public async Task A_steward_chooses_three_columns_and_the_table_shows_those_in_that_order(string locale, int width)
    {
        var (slug, _) = ThreePlaces();
        var steward = _node.CreateMember();
        _node.Service<Commons.Core.Services.DatasetService>().SetGrant(UiNode.Admin, slug, steward, GrantRole.Steward);
        var fr = locale.StartsWith("fr", StringComparison.Ordinal);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var (context, page) = await SignedInPageAsync(browser, steward, locale, width);
        await using (context)
        {
            await page.GotoAsync($"/datasets/{slug}");
            await page.Locator("#display-link").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/datasets/{slug}/display");
            await AssertNoAxeViolationsAsync(page, $"{locale} display {width}");
            await Chromium.ShotAsync(page, $"{locale[..2]}-titles-display-{width}px", fr ? "Affichage des enregistrements de « Salles »".Replace(" Salles ", "\u00A0Salles\u00A0") : "Weergave van de records van ‘Zalen’");

            // Untick all, then commune 1, seats 2, e-mail 3; the name chosen as the title.
            var boxes = page.Locator("#display-columns input[type=checkbox]");
            for (var i = 0; i < await boxes.CountAsync(); i++) await boxes.Nth(i).UncheckAsync();
            async Task Choose(string field, string place)
            {
                var row = page.Locator($"#display-columns tr[data-field='{field}']");
                await row.Locator("input[type=checkbox]").CheckAsync();
                await row.Locator("input[type=number]").FillAsync(place);
            }
            await Choose("commune", "1");
            await Choose("seats", "2");
            await Choose("email", "3");
            await page.Locator("#title-field").SelectOptionAsync("name");
            await page.Locator("#display-save").ClickAsync();
            await page.Locator("#display-saved").WaitForAsync();
            var stored = _node.Service<Commons.Core.Services.DatasetService>().Get(UiNode.Admin, slug);
            Assert.Equal(["commune", "seats", "email"], stored.Columns);
            Assert.Equal("name", stored.TitleField);

            await page.GotoAsync($"/datasets/{slug}");
            var headers = (await page.Locator("#records thead th").AllInnerTextsAsync()).Select(h => h.Replace("▲", "").Trim()).ToList();
            Assert.Equal(fr ? ["Nom", "Commune", "Places", "Courriel", "Partagé", "Modifié"] : ["Naam", "Gemeente", "Plaatsen", "E-mailadres", "Gedeeld", "Gewijzigd"], headers);
            if (width == 1280)
                Assert.True(await page.EvaluateAsync<bool>(Fits), await page.EvaluateAsync<string>(Widths));
            await AssertNoAxeViolationsAsync(page, $"{locale} dataset with chosen columns {width}");
        }
    }
}
