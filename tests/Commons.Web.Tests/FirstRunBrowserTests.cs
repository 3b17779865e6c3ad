using Commons.Core.Datasets;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;
using static Commons.Web.Tests.BrowserPageChecks;

namespace Commons.Web.Tests;

/// <summary>
/// The first-run checklist in a real browser, in French and Dutch: on a fresh node an administrator sees four steps to
/// do, follows each step's link and does it there (the description, a dataset, a follow of another node's dataset, an
/// invitation), and each ticks itself; the list goes once all are done, comes back with the shared place's step while
/// that module is on, and an administrator hides it. Every page of the way has no axe violation at 360 and 1280 px.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FirstRunBrowserTests
{
    private sealed record Words(string Dashboard, string Organisation, string Done, string ToDo, string Describe, string Place);

    private static Words In(string lang) => lang == "fr"
        ? new("Tableau de bord", "Organisation", "fait", "à faire", "Nommer et décrire l’organisation", "Ajouter une première salle ou du matériel à réserver")
        : new("Overzicht", "Organisatie", "gedaan", "te doen", "De organisatie een naam en een beschrijving geven", "Een eerste zaal of materiaal om te reserveren toevoegen");

    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.DOMContentLoaded };

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task Each_step_ticks_itself_when_done_and_the_list_goes_when_all_are(string lang, string locale)
    {
        var words = In(lang);
        await using var node = new PeerNode();
        await using var other = new PeerNode();
        var offers = other.CreateDataset(SharingPolicy.Public, "Offers and needs");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, node.Url, locale, 1280, 900);
        var page = await context.NewPageAsync();
        var csp = Chromium.WatchCsp(page);

        await SignInAsAdminAsync(page);

        // A fresh node: four steps, each saying in words that it is still to do.
        var steps = page.Locator("#first-run ol > li");
        await Assertions.Expect(steps).ToHaveCountAsync(4);
        foreach (var id in new[] { "describe", "dataset", "follow", "invite" })
        {
            await Assertions.Expect(page.Locator($"#step-{id}")).ToHaveClassAsync("step-todo");
            await Assertions.Expect(page.Locator($"#step-{id} .step-state")).ToHaveTextAsync($"({words.ToDo})");
        }
        await Assertions.Expect(page.Locator("#step-describe a")).ToHaveTextAsync(words.Describe);
        await Chromium.ShotAsync(page, $"{lang}-firstrun-01-fresh", words.Dashboard);
        await NoViolationsAtBothWidthsAsync(page, "fresh dashboard");

        // Describe the organisation, from the step's link.
        await page.ClickAsync("#step-describe a");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin/organisation", Committed);
        await NoViolationsAtBothWidthsAsync(page, "organisation page");
        await page.FillAsync("#description-fr", "Une maison de quartier à Anderlecht.");
        await page.FillAsync("#description-nl", "Een buurthuis in Anderlecht.");
        await page.ClickAsync("#organisation-save");
        await page.WaitForURLAsync(u => u.Contains("saved=1", StringComparison.Ordinal), Committed);
        await Assertions.Expect(page.Locator("#organisation-saved")).ToBeVisibleAsync();
        await Chromium.ShotAsync(page, $"{lang}-firstrun-02-organisation", words.Organisation);
        await ExpectDoneAsync(page, "describe", words);
        await Assertions.Expect(page.Locator("#node-description"))
            .ToHaveTextAsync(lang == "fr" ? "Une maison de quartier à Anderlecht." : "Een buurthuis in Anderlecht.");

        // A first dataset.
        await page.ClickAsync("#step-dataset a");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/datasets/new", Committed);
        await page.FillAsync("#slug", "ateliers");
        await page.FillAsync($"#title-{lang}", lang == "fr" ? "Ateliers" : "Workshops");
        await page.ClickAsync("#dataset-save");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/datasets/ateliers", Committed);
        await ExpectDoneAsync(page, "dataset", words);

        // Follow a dataset of another node, by its handle.
        await page.ClickAsync("#step-follow a");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/subscriptions", Committed);
        await page.FillAsync("#follow-target", other.Handle(offers));
        await page.ClickAsync("#follow-submit");
        await page.WaitForURLAsync(u => u.Contains("followed=", StringComparison.Ordinal), Committed);
        await ExpectDoneAsync(page, "follow", words);

        // Invite a member: the link is made, the step is done, and with it the whole list.
        await page.ClickAsync("#step-invite a");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/members", Committed);
        await page.ClickAsync("#invite-submit");
        await Assertions.Expect(page.Locator("#invite-link")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#first-run")).ToHaveCountAsync(0);
        await Chromium.ShotAsync(page, $"{lang}-firstrun-03-all-done", words.Dashboard);

        // The shared place turned on brings its step (to do); turned off, the step goes with it.
        await SwitchPlaceAsync(page, on: true);
        await page.GotoAsync("/");
        await Assertions.Expect(steps).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#step-place-first-resource")).ToHaveClassAsync("step-todo");
        await Assertions.Expect(page.Locator("#step-place-first-resource a")).ToHaveTextAsync(words.Place);
        await NoViolationsAtBothWidthsAsync(page, "dashboard with the place's step");
        await SwitchPlaceAsync(page, on: false);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#first-run")).ToHaveCountAsync(0);

        // Hidden by the administrator: gone although the place's step is still to do.
        await SwitchPlaceAsync(page, on: true);
        await page.GotoAsync("/");
        await page.ClickAsync("#first-run-hide");
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", Committed);
        await Assertions.Expect(page.Locator("#first-run")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#node-intro")).ToBeVisibleAsync();

        Assert.Empty(csp);
    }

    private static async Task ExpectDoneAsync(IPage page, string step, Words words)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator($"#step-{step}")).ToHaveClassAsync("step-done");
        await Assertions.Expect(page.Locator($"#step-{step} .step-state")).ToHaveTextAsync($"({words.Done})");
    }

    private static async Task SwitchPlaceAsync(IPage page, bool on)
    {
        await page.GotoAsync("/admin/modules");
        await page.ClickAsync("#switch-place");
        await page.WaitForURLAsync(u => u.Contains($"done={(on ? "on" : "off")}", StringComparison.Ordinal), Committed);
    }
}
