using System.Net;
using Commons.Web.Tests.Flow;
using Microsoft.Playwright;
using static Commons.Web.Tests.BrowserPageChecks;

namespace Commons.Web.Tests;

/// <summary>
/// The map module's member pages in a real browser, in French and Dutch: the profile, our offers and needs, and what fits
/// them with the reasons in the page's language and a link to the replicated record; axe 0 and no sideways scrolling at
/// 360 and 1280 px. Off on a new node: the pages answer 404 and the menu does not name them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MapPagesBrowserTests
{
    private sealed record Words(string Profile, string Listings, string Matches, string Criterion, string Commune, string Free, string SameCategory, string Nearby);

    private static Words In(string lang) => lang == "fr"
        ? new("Notre organisation sur la carte", "Nos offres et besoins", "Ce qui répond à nos besoins et offres", "Une expérience concrète", "Forest", "Gratuit", "même catégorie\u00a0: Lieux", "à proximité\u00a0: Forest → Saint-Gilles")
        : new("Onze organisatie op de kaart", "Ons aanbod en onze vraag", "Wat past bij onze vraag en ons aanbod", "Een concreet experiment", "Vorst", "Gratis", "zelfde categorie: Plaatsen", "dichtbij: Vorst → Sint-Gillis");

    [Fact]
    public async Task The_pages_answer_404_while_the_module_is_off_and_come_with_the_switch()
    {
        await using var node = new UiNode();
        using var member = await node.MemberBrowserAsync();
        foreach (var path in new[] { "/map", "/map/listings", "/map/matches" })
            Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(path)).Response.StatusCode);
        Assert.DoesNotContain("href=\"/map", (await member.GetAsync("/")).Html);

        MapSeed.Open(node);
        foreach (var path in new[] { "/map", "/map/listings", "/map/matches" })
            Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(path)).Response.StatusCode);
        Assert.Contains("href=\"/map\"", (await member.GetAsync("/")).Html);
    }

    [ChromiumTheory]
    [InlineData("fr", "fr-BE")]
    [InlineData("nl", "nl-BE")]
    public async Task Profile_listings_and_matches_read_in_the_members_language_without_axe_violations(string lang, string locale)
    {
        var words = In(lang);
        await using var node = new UiNode();
        var theirs = MapSeed.Open(node);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await Chromium.NewContextAsync(browser, node.Address.ToString().TrimEnd('/'), locale, 1280, 900);
        var page = await context.NewPageAsync();
        var csp = Chromium.WatchCsp(page);
        await SignInAsAdminAsync(page);

        await page.GotoAsync("/map");
        await Chromium.ShotAsync(page, $"map-{lang}-profile", words.Profile);
        var profile = await page.Locator("#profile").InnerTextAsync();
        Assert.Contains(MapSeed.Name, profile, StringComparison.Ordinal);
        Assert.Contains(words.Criterion, profile, StringComparison.Ordinal);
        Assert.Contains(words.Commune, profile, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#edit-profile").CountAsync());
        await NoViolationsAtBothWidthsAsync(page, $"/map in {lang}");

        await page.GotoAsync("/map/listings");
        await Chromium.ShotAsync(page, $"map-{lang}-listings", words.Listings);
        var listings = await page.Locator("#listings").InnerTextAsync();
        Assert.Contains(MapSeed.Need, listings, StringComparison.Ordinal);
        Assert.Contains(MapSeed.Offer, listings, StringComparison.Ordinal);
        Assert.Contains(words.Free, listings, StringComparison.Ordinal);
        await NoViolationsAtBothWidthsAsync(page, $"/map/listings in {lang}");

        await page.GotoAsync("/map/matches");
        await Chromium.ShotAsync(page, $"map-{lang}-matches", words.Matches);
        var match = page.Locator("#match-besoin-salle-r000");
        var text = await match.InnerTextAsync();
        Assert.Contains(MapSeed.TheirOffer, text, StringComparison.Ordinal);
        Assert.Contains("kaai.invalid", text, StringComparison.Ordinal);
        Assert.Contains(words.SameCategory, text, StringComparison.Ordinal);
        Assert.Contains(words.Nearby, text, StringComparison.Ordinal);
        Assert.Equal($"/subscriptions/{theirs.Id}/records/r000", await match.Locator("h3 a").GetAttributeAsync("href"));
        await NoViolationsAtBothWidthsAsync(page, $"/map/matches in {lang}");
        Assert.Empty(csp);
    }
}
