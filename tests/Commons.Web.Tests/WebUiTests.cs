using System.Net;
using Commons.Node.Http;
using System.Net.Http.Headers;
using Commons.Core.Datasets;

namespace Commons.Web.Tests;

/// <summary>The browser interface over real HTTP: sign-in, cookies, antiforgery, CSP, access, languages.</summary>
public sealed class WebUiTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task Signing_in_sets_a_strict_session_cookie_and_opens_the_dashboard()
    {
        using var browser = _node.Browser();
        var response = await browser.SignInAsync("admin", UiNode.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", new Uri(_node.Address, response.Headers.Location!).PathAndQuery);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(browser.CookieName(CookieNames.SignIn) + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);

        var (page, html) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1>Dashboard</h1>", html);
        Assert.Contains("id=\"dead-letters\"", html); // an administrator sees the dead letters
    }

    [Fact]
    public async Task A_wrong_password_is_shown_inline_and_gives_no_cookie()
    {
        using var browser = _node.Browser();
        var user = _node.CreateMember();
        var response = await browser.SignInAsync(user, "not-the-password");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("Wrong username or password", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Null(browser.Cookie(CookieNames.SignIn));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task Pages_need_a_session_and_send_the_browser_to_sign_in()
    {
        using var browser = _node.Browser();
        var (response, _) = await browser.GetAsync("/datasets");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_bearer_token_does_not_open_pages()
    {
        using var api = new HttpClient { BaseAddress = _node.Address };
        var login = await api.PostAsync("/api/auth/login", new StringContent($$"""{"username":"admin","password":"{{UiNode.AdminPassword}}"}""", System.Text.Encoding.UTF8, "application/json"));
        var token = System.Text.Json.JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        using var browser = _node.Browser();
        browser.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task Disabling_a_member_or_changing_their_password_ends_their_browser_session()
    {
        var member = _node.CreateMember();
        var other = _node.CreateMember();
        using var first = _node.Browser();
        using var second = _node.Browser();
        await first.SignInAsync(member, UiNode.MemberPassword);
        await second.SignInAsync(other, UiNode.MemberPassword);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/")).Response.StatusCode);

        var members = _node.Service<Core.Services.MemberService>();
        members.Update(UiNode.Admin, member, null, null, true);
        members.ResetPassword(UiNode.Admin, other, "a-brand-new-password-1", mustChange: false);

        Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync("/")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.SignInAsync(member, UiNode.MemberPassword)).StatusCode);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/signout")]
    [InlineData("/ui/language")]
    public async Task A_form_post_without_the_antiforgery_token_is_refused(string path)
    {
        using var browser = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);
        var response = await browser.PostFormAsync(path,
            [new("_handler", "signin"), new("Form.Username", "admin"), new("Form.Password", UiNode.AdminPassword), new("lang", "fr")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(browser.Cookie(CookieNames.Language));
        // Still signed in: the forged sign-out did nothing.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = _node.Browser();
        await browser.SignInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync("/");
        var response = await browser.PostFormAsync("/signout", [new("__RequestVerificationToken", Browser.Token(html))]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).Response.StatusCode);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/")]
    [InlineData("/datasets")]
    public async Task Html_responses_carry_a_content_security_policy_without_unsafe_inline(string path)
    {
        using var browser = _node.Browser();
        await browser.SignInAsync("admin", UiNode.AdminPassword);
        var (response, _) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_stylesheet_is_served_by_the_node()
    {
        using var browser = _node.Browser();
        var (response, css) = await browser.GetAsync("/ui.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(":focus-visible", css);
    }

    [Fact]
    public async Task A_viewer_cannot_reach_a_private_dataset_by_url()
    {
        var viewer = _node.CreateMember();
        var hidden = _node.CreateDataset(SharingPolicy.Private, "Hidden ledger");
        var granted = _node.CreateDataset(SharingPolicy.Private, "Granted rooms", (viewer, GrantRole.Viewer));
        var open = _node.CreateDataset(SharingPolicy.Public, "Open offers");
        using var browser = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(viewer, UiNode.MemberPassword)).StatusCode);

        var (response, html) = await browser.GetAsync($"/datasets/{hidden}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Hidden ledger", html);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/datasets/{granted}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/datasets/{open}")).Response.StatusCode);

        var (_, list) = await browser.GetAsync("/datasets");
        Assert.Contains("Granted rooms", list);
        Assert.Contains("Open offers", list);
        Assert.DoesNotContain("Hidden ledger", list);
        var (_, dashboard) = await browser.GetAsync("/");
        Assert.DoesNotContain("Hidden ledger", dashboard);
        Assert.DoesNotContain("id=\"dead-letters\"", dashboard); // not an administrator
    }

    [Fact]
    public async Task The_api_never_accepts_the_browser_cookie()
    {
        using var browser = _node.Browser();
        await browser.SignInAsync("admin", UiNode.AdminPassword);
        Assert.NotNull(browser.Cookie(CookieNames.SignIn));
        browser.Client.DefaultRequestHeaders.Accept.Clear();
        var response = await browser.Client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/datasets")).StatusCode);
    }

    [Fact]
    public async Task A_dataset_url_still_answers_peers_with_its_actor()
    {
        var slug = _node.CreateDataset(SharingPolicy.Public, "Actor and page");
        using var peer = new HttpClient { BaseAddress = _node.Address };
        peer.DefaultRequestHeaders.Accept.ParseAdd("application/activity+json");
        var response = await peer.GetAsync($"/datasets/{slug}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task The_records_table_pages_and_filters()
    {
        var slug = _node.CreateDataset(SharingPolicy.Private, "Rooms");
        _node.AddRecords(slug, 30, i => $$"""{"name":"Room {{i:D2}}","floor":{{i % 3}},"note":"{{(i == 7 ? "café <b>bold</b>" : "plain")}}"}""");
        using var browser = _node.Browser();
        await browser.SignInAsync("admin", UiNode.AdminPassword);

        var (first, html) = await browser.GetAsync($"/datasets/{slug}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(25, CountRows(html));
        Assert.Contains("<label for=\"q\">", html);
        var next = System.Text.RegularExpressions.Regex.Match(html, "href=\"([^\"]+)\" rel=\"next\"").Groups[1].Value;
        Assert.NotEmpty(next);
        var (_, second) = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(next));
        Assert.Equal(5, CountRows(second));

        var (_, filtered) = await browser.GetAsync($"/datasets/{slug}?q=cafe");
        Assert.Equal(1, CountRows(filtered));
        Assert.Contains("café &lt;b&gt;bold&lt;/b&gt;", filtered); // what a user typed is never rendered as markup
        Assert.DoesNotContain("<b>bold</b>", filtered);

        var (bad, _) = await browser.GetAsync($"/datasets/{slug}?cursor=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static int CountRows(string html)
    {
        var body = html[(html.IndexOf("<tbody>", StringComparison.Ordinal) + 7)..html.IndexOf("</tbody>", StringComparison.Ordinal)];
        return System.Text.RegularExpressions.Regex.Matches(body, "<tr[ >]").Count;
    }
}

public sealed class UiNodeFixture : IAsyncLifetime
{
    public UiNode Node { get; } = new();
    public Task InitializeAsync() { _ = Node.Address; return Task.CompletedTask; }
    public async Task DisposeAsync() => await Node.DisposeAsync();
}
