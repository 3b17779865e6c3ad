using System.Net;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;

namespace Commons.Web.Tests;

/// <summary>A followed dataset is named in the member's language when its origin published a <c>nameMap</c>.</summary>
public sealed class SubscriptionLanguageTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Theory]
    [InlineData("fr", "Offres et besoins")]
    [InlineData("nl", "Aanbod en vragen")]
    [InlineData("en", "Offers and needs (name)")] // the map has no English: the plain name
    public async Task The_subscription_list_and_dashboard_name_a_followed_dataset_in_the_page_language(string language, string shown)
    {
        var s = _node.AddSubscription("Offers and needs (name)", SubscriptionState.Accepted) with
        {
            NameMap = new LocalizedText("Offres et besoins", "Aanbod en vragen", null),
        };
        _node.Service<ISubscriptionStore>().Upsert(s);
        using var browser = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        foreach (var path in new[] { "/subscriptions", "/" })
        {
            var (response, html) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($">{shown}</a>", WebUtility.HtmlDecode(html));
        }
    }

    [Theory]
    [InlineData("""{"nameMap":{"fr":"Offres","nl":"Aanbod","en":"Offers"}}""", "Offres", "Aanbod", "Offers")]
    [InlineData("""{"nameMap":{"fr":"Offres","de":"Angebote"}}""", "Offres", null, null)]
    [InlineData("""{"nameMap":{"fr":"  ","nl":42}}""", null, null, null)]
    [InlineData("""{"nameMap":"Offres"}""", null, null, null)]
    [InlineData("""{"name":"Offres"}""", null, null, null)]
    [InlineData("""["nameMap"]""", null, null, null)]
    public void A_language_map_is_read_in_french_dutch_and_english_and_nothing_else(string actor, string? fr, string? nl, string? en)
    {
        using var doc = JsonDocument.Parse(actor);
        var map = ActorDocuments.LanguageMapOf(doc.RootElement, "nameMap");
        Assert.Equal(fr is null && nl is null && en is null ? null : new LocalizedText(fr, nl, en), map);
    }
}
