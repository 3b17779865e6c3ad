using System.Net;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>An unknown URL: a browser gets a page in its language with the page headers; everyone else problem+json.</summary>
public sealed class NotFoundPageTests(NodeFactory node) : IClassFixture<NodeFactory>
{
    [Theory]
    [InlineData("en", "Not found")]
    [InlineData("fr", "Introuvable")]
    [InlineData("nl", "Niet gevonden")]
    public async Task A_browser_gets_a_page_in_its_language_with_the_page_headers(string language, string heading)
    {
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/page");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        request.Headers.AcceptLanguage.ParseAdd(language);

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<html lang=\"{language}\"", html);
        Assert.Contains($"<h1>{heading}</h1>", html);
        Assert.Contains("href=\"/ui.css\"", html);
        Assert.Contains("<main id=\"main\"", html);
        Assert.Contains("default-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task A_signed_in_member_keeps_the_navigation()
    {
        var jar = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = node.Address };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        Assert.Equal(302, await WebSignIn.PostAsync(node, "admin", NodeFactory.AdminPassword, browser));

        using var response = await browser.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("action=\"/signout\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/no-such-thing", "text/html,application/xhtml+xml,*/*;q=0.8")]
    [InlineData("/no/such/page", "application/json")]
    [InlineData("/no/such/page", "application/activity+json")]
    [InlineData("/no/such/page", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\", text/html")]
    [InlineData("/no/such/page", null)]
    public async Task Api_clients_and_peers_still_get_problem_json(string path, string? accept)
    {
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
