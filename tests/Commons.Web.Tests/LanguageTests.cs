using System.Net;
using Commons.Node.Http;

namespace Commons.Web.Tests;

/// <summary>Every page in English, French and Dutch: from the lang cookie, else Accept-Language, else English.</summary>
public sealed class LanguageTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Theory]
    [InlineData(null, "<h1>Sign in</h1>", "lang=\"en\"")]
    [InlineData("fr-BE,fr;q=0.9,en;q=0.5", "<h1>Se connecter</h1>", "lang=\"fr\"")]
    [InlineData("nl-BE,nl;q=0.9", "<h1>Aanmelden</h1>", "lang=\"nl\"")]
    [InlineData("de-DE", "<h1>Sign in</h1>", "lang=\"en\"")]
    public async Task The_sign_in_page_follows_accept_language(string? acceptLanguage, string heading, string htmlLang)
    {
        using var browser = _node.Browser(acceptLanguage);
        var (response, html) = await browser.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(heading, html);
        Assert.Contains($"<html {htmlLang}>", html);
    }

    [Theory]
    [InlineData("fr", "<h1>Tableau de bord</h1>", "Vos jeux de données", "<h1>Jeux de données</h1>")]
    [InlineData("nl", "<h1>Overzicht</h1>", "Uw datasets", "<h1>Datasets</h1>")]
    public async Task The_switcher_cookie_wins_over_accept_language(string lang, string dashboardHeading, string section, string datasetsHeading)
    {
        using var browser = _node.Browser("en-GB,en;q=0.9");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);
        var (_, english) = await browser.GetAsync("/datasets");
        Assert.Contains("<h1>Datasets</h1>", english);

        var switched = await browser.PostFormAsync("/ui/language",
            [new("__RequestVerificationToken", Browser.Token(english)), new("lang", lang), new("returnUrl", "/datasets")]);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/datasets", switched.Headers.Location?.OriginalString);
        Assert.Equal(lang, browser.Cookie(CookieNames.Language)?.Value);

        var (_, dashboard) = await browser.GetAsync("/");
        Assert.Contains(dashboardHeading, dashboard);
        Assert.Contains(section, dashboard);
        Assert.Contains($"<option value=\"{lang}\" lang=\"{lang}\" selected", dashboard);
        var (_, datasets) = await browser.GetAsync("/datasets");
        Assert.Contains(datasetsHeading, datasets);
    }

    [Fact]
    public async Task The_language_cookie_alone_sets_the_language_and_dates_follow_it()
    {
        var slug = _node.CreateDataset(Core.Datasets.SharingPolicy.Private, "Dated");
        using var browser = _node.Browser("en");
        browser.Cookies.Add(_node.Address, new Cookie(browser.CookieName(CookieNames.Language), "nl"));
        var (_, signin) = await browser.GetAsync("/signin");
        Assert.Contains("<h1>Aanmelden</h1>", signin);

        await browser.SignInAsync("admin", UiNode.AdminPassword);
        var (_, page) = await browser.GetAsync($"/datasets/{slug}");
        var updated = _node.Service<Core.Services.DatasetService>().Get(UiNode.Admin, slug).UpdatedAt;
        updated = TimeZoneInfo.ConvertTime(updated, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels"));
        Assert.Contains(updated.ToString("g", System.Globalization.CultureInfo.GetCultureInfo("nl")), page);
    }

    [Fact]
    public async Task An_unknown_language_is_refused_by_the_switcher()
    {
        using var browser = _node.Browser();
        var (_, html) = await browser.GetAsync("/signin");
        var response = await browser.PostFormAsync("/ui/language", [new("__RequestVerificationToken", Browser.Token(html)), new("lang", "xx")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_switcher_never_redirects_to_another_site()
    {
        using var browser = _node.Browser();
        var (_, html) = await browser.GetAsync("/signin");
        var response = await browser.PostFormAsync("/ui/language",
            [new("__RequestVerificationToken", Browser.Token(html)), new("lang", "fr"), new("returnUrl", "//evil.example/x")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }
}
