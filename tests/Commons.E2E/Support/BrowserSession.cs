using System.Net;
using System.Text.RegularExpressions;

namespace Commons.E2E.Support;

/// <summary>A browser without script signed in to a node's pages: the sign-in page's antiforgery token, the form, the cookie.</summary>
public static partial class BrowserSession
{
    /// <summary>A client that keeps the session cookie and asks for pages in <paramref name="language"/>.</summary>
    public static async Task<HttpClient> SignInAsync(TestNode node, string language = "en")
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30),
        };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var page = await browser.GetStringAsync("/signin");
        var token = Token().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on /signin");
        using var signedIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(
        [
            new("_handler", "signin"),
            new("__RequestVerificationToken", token),
            new("Form.Username", "admin"),
            new("Form.Password", TestNode.AdminPassword),
        ]));
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        return browser;
    }

    /// <summary>The page's HTML, after asserting it answered 200.</summary>
    public static async Task<string> PageAsync(this HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return html;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
