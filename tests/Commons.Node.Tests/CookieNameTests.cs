using System.Net;
using System.Text.RegularExpressions;
using Commons.Node.Http;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests;

/// <summary>
/// Browsers keep cookies per host, not per port: two nodes on 127.0.0.1 must not overwrite each other's sign-in
/// (the README's two-node quickstart). Over HTTPS the names carry the <c>__Host-</c> prefix.
/// </summary>
public sealed partial class CookieNameTests
{
    [Fact]
    public async Task Signing_in_to_one_local_node_does_not_sign_you_out_of_the_other()
    {
        await using var a = new NodeFactory();
        await using var b = new NodeFactory();
        var jar = new CookieContainer(); // one browser: its cookies for 127.0.0.1 are shared by every port
        using var toA = Browser(a, jar);
        using var toB = Browser(b, jar);

        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(toA, NodeFactory.AdminPassword));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(toB, NodeFactory.AdminPassword));

        Assert.Equal(HttpStatusCode.OK, (await toA.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await toB.GetAsync("/")).StatusCode);
        var names = jar.GetAllCookies().Select(c => c.Name).ToHashSet();
        Assert.Contains($"port{a.Address.Port}-{CookieNames.SignIn}", names);
        Assert.Contains($"port{b.Address.Port}-{CookieNames.SignIn}", names);

        // Signing out of B leaves A signed in.
        var html = await toB.GetStringAsync("/");
        using var signout = await toB.PostAsync("/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", Token(html))]));
        Assert.Equal(HttpStatusCode.Redirect, signout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await toB.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await toA.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_under_a_bare_name_is_not_taken_for_the_node_s()
    {
        await using var node = new NodeFactory();
        var jar = new CookieContainer();
        using var browser = Browser(node, jar);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(browser, NodeFactory.AdminPassword));
        var session = jar.GetAllCookies().Single(c => c.Name == $"port{node.Address.Port}-{CookieNames.SignIn}").Value;
        using var anonymous = Browser(node, new CookieContainer());

        // The session under its logical name (as an older node, or another one, might have set it) signs nothing in.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"{CookieNames.SignIn}={session}");
        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Over_https_every_cookie_has_the_host_prefix_secure_and_path_root()
    {
        await using var node = new ProxiedNode();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node.Address };

        using var signin = await client.SendAsync(Https(HttpMethod.Get, "/signin", null));
        var antiforgery = SetCookie(signin, "__Host-" + CookieNames.Antiforgery);
        var token = Token(await signin.Content.ReadAsStringAsync());

        using var signedIn = await client.SendAsync(Https(HttpMethod.Post, "/signin", antiforgery, new FormUrlEncodedContent(
            [new("_handler", "signin"), new("__RequestVerificationToken", token), new("Form.Username", "admin"), new("Form.Password", NodeFactory.AdminPassword)])));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = SetCookie(signedIn, "__Host-" + CookieNames.SignIn);

        // The token on the sign-in page is an anonymous visitor's, so the language is chosen as one.
        using var language = await client.SendAsync(Https(HttpMethod.Post, "/ui/language", antiforgery, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("lang", "fr"), new("returnUrl", "/")])));
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        var lang = SetCookie(language, "__Host-" + CookieNames.Language);

        using var dashboard = await client.SendAsync(Https(HttpMethod.Get, "/", $"{antiforgery}; {session}; {lang}"));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("lang=\"fr\"", await dashboard.Content.ReadAsStringAsync());
    }

    /// <summary>The Set-Cookie for <paramref name="name"/>, checked for what <c>__Host-</c> demands; returns "name=value" to send back.</summary>
    private static string SetCookie(HttpResponseMessage response, string name)
    {
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal));
        var attributes = header.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        return header.Split(';')[0];
    }

    private static HttpRequestMessage Https(HttpMethod method, string path, string? cookie, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return request;
    }

    private static HttpClient Browser(NodeFactory node, CookieContainer jar)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient browser, string password)
    {
        var html = await browser.GetStringAsync("/signin");
        using var response = await browser.PostAsync("/signin", new FormUrlEncodedContent(
            [new("_handler", "signin"), new("__RequestVerificationToken", Token(html)), new("Form.Username", "admin"), new("Form.Password", password)]));
        return response.StatusCode;
    }

    private static string Token(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on the page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed class ProxiedNode : NodeFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Commons:ForwardedHeaders:KnownProxies:0", "127.0.0.1")];
    }
}
