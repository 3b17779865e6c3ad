using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Services;
using Commons.Federation.Following;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;

namespace Commons.Web.Tests;

/// <summary>
/// Two real nodes on 127.0.0.1: a follower shows the records of a dataset it follows as the origin's stewards show them
/// (title first and linked, their columns with labels in the page's language, no excluded field), finds "Anderlecht" and
/// shows it in the row, and gives each record a page with all its fields, its origin and its proof status; in French and
/// Dutch, at 360 and 1280 px, with no axe violation and nothing wider than the screen outside a table's scroller.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReplicaRecordBrowserTests
{
    // The title and the chosen columns come after four other fields: a table showing a record's first fields misses them.
    private const string PlacesSchema = """
        {"type":"object","properties":{
          "code":{"type":"string","maxLength":10,"x-titles":{"fr":"Code","nl":"Code","en":"Code"}},
          "email":{"type":"string","format":"email"},
          "description":{"type":"string","maxLength":2000,"x-titles":{"fr":"Description","nl":"Beschrijving","en":"Description"}},
          "places":{"type":"integer","x-titles":{"fr":"Places","nl":"Plaatsen","en":"Seats"}},
          "nom":{"type":"string","x-titles":{"fr":"Nom du lieu","nl":"Naam van de plek","en":"Place name"}},
          "accessible":{"type":"boolean","x-titles":{"fr":"Accessible en fauteuil","nl":"Rolstoeltoegankelijk","en":"Wheelchair access"}},
          "commune":{"type":"string","x-titles":{"fr":"Commune","nl":"Gemeente","en":"Municipality"}}},
         "required":["nom"]}
        """;

    private const string Secret = "secret@lieux.example";

    // Runs in the page: what sticks out of a 360 px screen (outside a table's scroller) and how many h1 there are.
    private const string Fits = """
        () => {
          const problems = [];
          for (const e of document.querySelectorAll('body *')) {
            if (e.closest('.table-wrap')) continue;
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > document.documentElement.clientWidth + 1) { problems.push('wider than the screen: ' + e.tagName + (e.id ? '#' + e.id : '')); break; }
          }
          if (document.documentElement.scrollWidth > document.documentElement.clientWidth) problems.push('the page scrolls sideways');
          if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' h1 elements');
          return problems;
        }
        """;

    // A navigation is over when the new document's HTML is in: on a loaded machine Chromium can sit long on the load event.
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.DOMContentLoaded };

    public sealed record Words(string Dataset, string Description, string Commune, string Places, string Accessible, string Yes, string Verified);

    private static Words In(string lang) => lang == "fr"
        ? new("Lieux de réunion", "Des salles pour les associations.", "Commune", "Places", "Accessible en fauteuil", "oui", "vérifiée avec la clé de «\u00A0Lieux de réunion\u00A0»")
        : new("Vergaderplekken", "Zalen voor verenigingen.", "Gemeente", "Plaatsen", "Rolstoeltoegankelijk", "ja", "gecontroleerd met de sleutel van ‘Vergaderplekken’");

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task Followed_records_are_shown_searched_and_opened_by_their_title(string lang, string locale)
    {
        var words = In(lang);
        await using var origin = new PeerNode();
        await using var follower = new PeerNode();
        var slug = "lieux";
        origin.Service<DatasetService>().Create(UiNode.Admin, new DatasetDraft
        {
            Slug = slug, Title = new LocalizedText("Lieux de réunion", "Vergaderplekken", "Meeting places"),
            Description = new LocalizedText("Des salles pour les associations.", "Zalen voor verenigingen.", "Rooms for associations."),
            Schema = PlacesSchema, Policy = SharingPolicy.Public, License = "CC-BY-4.0",
            TitleField = "nom", Columns = ["commune", "places", "accessible", "email"], ExcludedFields = ["email"],
        });
        origin.AddRecords(slug, 3, i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["code"] = $"L{i}", ["email"] = Secret, ["places"] = 20 + i, ["accessible"] = i != 1,
            ["nom"] = new[] { "Salle Aurore", "Salle Bruegel", "Salle Chantier" }[i], ["commune"] = new[] { "Anderlecht", "Schaerbeek", "Forest" }[i],
            ["description"] = i == 0 ? "Une grande salle lumineuse au rez-de-chaussée, avec une cuisine, des tables pliantes et un accès direct au jardin de la maison de quartier." : "Petite salle.",
        }));

        var subscription = await follower.Service<SubscriptionService>().FollowAsync(UiNode.Admin, origin.Handle(slug), CancellationToken.None);
        var replicas = follower.Service<IReplicaStore>();
        await Eventually.ForAsync(() => Task.FromResult(replicas.Count(subscription.Id)), n => n == 3, "the backfill of 3 records");
        Assert.Equal(["commune", "places", "accessible"], follower.Service<ISubscriptionStore>().Find(subscription.Id)!.Columns);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        foreach (var width in new[] { 360, 1280 })
        {
            await using var context = await Chromium.NewContextAsync(browser, follower.Url, locale, width, 800);
            var page = await context.NewPageAsync();
            var csp = Chromium.WatchCsp(page);
            await page.GotoAsync("/signin");
            await page.FillAsync("#username", "admin");
            await page.FillAsync("#password", UiNode.AdminPassword);
            await page.Locator("form.stack button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", Committed);

            // The list of followed datasets: the other node by its address, no actor URL.
            await page.GotoAsync("/subscriptions");
            Assert.Contains(origin.Address.Authority, await page.Locator($"#subscriptions tr[data-subscription='{subscription.Id}'] .origin-node").InnerTextAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain($"{origin.Url}/datasets", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await AssertAccessibleAsync(page, $"/subscriptions at {width} px");

            // The table: the origin's name and description in the page's language, the title first, the origin's columns.
            await page.GotoAsync($"/subscriptions/{subscription.Id}");
            await Chromium.ShotAsync(page, $"replica-{lang}-{width}-table", words.Dataset);
            Assert.Contains(words.Description, await page.Locator("#origin-description").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains(origin.Address.Authority, await page.Locator("#replica-provenance").InnerTextAsync(), StringComparison.Ordinal);
            var table = page.Locator("#replica-records");
            Assert.Equal(3, await table.Locator("tbody tr").CountAsync());
            Assert.Equal(0, await table.Locator(".badge").CountAsync()); // provenance said once, above the table
            var headers = (await table.Locator("thead th").AllInnerTextsAsync()).Select(h => h.Trim()).ToList();
            Assert.Equal([words.Commune, words.Places, words.Accessible], headers.Skip(1).Take(3));
            var main = await page.Locator("main").InnerTextAsync();
            Assert.DoesNotContain(Secret, main, StringComparison.Ordinal);
            Assert.DoesNotContain(subscription.Id, main, StringComparison.Ordinal);
            Assert.DoesNotContain($"{origin.Url}/datasets", main, StringComparison.Ordinal); // the actor URL: in the closed details only
            await AssertAccessibleAsync(page, $"/subscriptions/{subscription.Id} at {width} px");
            Assert.Equal("0", await page.Locator("#replica-records").Locator("xpath=..").GetAttributeAsync("tabindex"));

            // A search for a value shows that value in the row.
            await page.FillAsync("#replica-q", "Anderlecht");
            await page.Locator("form[role=search] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(u => u.Contains("q=Anderlecht", StringComparison.Ordinal), Committed);
            var row = Assert.Single(await page.Locator("#replica-records tbody tr").AllAsync());
            var rowText = await row.InnerTextAsync();
            Assert.Contains("Anderlecht", rowText, StringComparison.Ordinal);
            Assert.Contains("Salle Aurore", rowText, StringComparison.Ordinal);
            Assert.True(await row.Locator("td[data-field=commune]").IsVisibleAsync());

            // The record's page: every field with its label, where it comes from, its signature checked.
            await row.Locator("th a").ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith($"/subscriptions/{subscription.Id}/records/", StringComparison.Ordinal), Committed);
            await Chromium.ShotAsync(page, $"replica-{lang}-{width}-record", "Salle Aurore");
            var fields = await page.Locator("#record-fields").InnerTextAsync();
            foreach (var expected in new[] { words.Commune, "Anderlecht", words.Places, "20", words.Accessible, words.Yes, "L0", "jardin de la maison de quartier" })
                Assert.Contains(expected, fields, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(words.Verified, (await page.Locator("#proof-status").InnerTextAsync()).Trim());
            Assert.Equal(words.Dataset, (await page.Locator("#origin-dataset").InnerTextAsync()).Trim());
            Assert.StartsWith($"{origin.Url}/datasets/{slug}/records/", await page.Locator("#see-at-origin").GetAttributeAsync("href"), StringComparison.Ordinal);
            Assert.False(await page.Locator("#record-technical").GetAttributeAsync("open") is not null);
            await AssertAccessibleAsync(page, $"record page at {width} px");
            await page.Locator("#record-technical summary").ClickAsync();
            await AssertAccessibleAsync(page, $"record page, details open, at {width} px");
            Assert.Empty(csp);
        }
    }

    private static async Task AssertAccessibleAsync(IPage page, string where)
    {
        var problems = (await Axe.ViolationsAsync(page)).Concat(await page.EvaluateAsync<string[]>(Fits)).ToList();
        Assert.True(problems.Count == 0, $"{where}:\n{string.Join("\n", problems)}");
    }
}
