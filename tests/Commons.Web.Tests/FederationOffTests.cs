using System.Net;
using Commons.Core.Members;
using Commons.Core.Services;

namespace Commons.Web.Tests;

/// <summary>
/// A node that listens beyond loopback without Commons:PublicUrl does not federate: its administrators see why on the
/// dashboard, in their language; following from the subscriptions page is refused with the reason.
/// </summary>
public sealed class FederationOffTests : IAsyncLifetime
{
    // The factory listens on its own loopback port; "urls" only tells the node where it would listen.
    private readonly PeerNode _node = new(new Dictionary<string, string> { ["Commons:PublicUrl"] = "", ["urls"] = "http://0.0.0.0:5080" });

    [Theory]
    [InlineData("en", "Federation is off: other nodes cannot reach this node.")]
    [InlineData("fr", "La fédération est coupée\u00A0: les autres nœuds ne peuvent pas joindre ce nœud.")]
    [InlineData("nl", "Federatie staat uit: andere knooppunten kunnen dit knooppunt niet bereiken.")]
    public async Task Administrators_see_on_the_dashboard_that_federation_is_off(string language, string heading)
    {
        using var browser = await _node.AdminBrowserAsync();
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var (response, html) = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Pages.Has(html, "public-url-missing"));
        Assert.Contains(heading, WebUtility.HtmlDecode(html));
        Assert.Contains("Commons:PublicUrl", html);
    }

    [Fact]
    public async Task Members_who_do_not_administer_see_no_banner()
    {
        _node.Service<MemberService>().Register("plain", null, UiNode.MemberPassword, MemberRole.Member);
        using var browser = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("plain", UiNode.MemberPassword)).StatusCode);

        var (_, html) = await browser.GetAsync("/");

        Assert.False(Pages.Has(html, "public-url-missing"));
    }

    [Fact]
    public async Task Following_from_the_page_is_refused_with_the_reason()
    {
        using var browser = await _node.AdminBrowserAsync();
        var (_, page) = await browser.GetAsync("/subscriptions");

        var response = await browser.PostFormAsync("/subscriptions",
            [new("_handler", "follow"), new("__RequestVerificationToken", Browser.Token(page)), new("FollowForm.Target", "offers@commons.example.org")]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("its public address is not set", await response.Content.ReadAsStringAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _node.DisposeAsync().AsTask();
}
