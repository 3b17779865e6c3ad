using System.Net;
using Commons.Core.Nodes;
using Commons.Federation.ActivityStreams;

namespace Commons.Web.Tests;

/// <summary>/admin: the node's name, public address, version, figures and the way to each task; in the three languages.</summary>
public sealed class AdminOverviewTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Fact]
    public async Task The_overview_shows_the_node_and_links_to_every_task()
    {
        _node.DeadLetters(2);
        using var browser = await _node.AdminBrowserAsync();

        var (response, html) = await browser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(_node.Service<INodeStore>().Get()!.Name), html);
        Assert.Contains(_node.Service<ActivityUris>().Base, html);
        Assert.Contains("id=\"node-facts\"", html);
        foreach (var href in new[] { "/admin/deliveries", "/admin/federation", "/admin/backup", "/members" })
            Assert.Contains($"href=\"{href}\"", html);
        Assert.Contains("aria-current=\"page\"", html);
        Assert.Contains("Deliveries given up", html);
        Assert.DoesNotContain("<script", html);
    }

    [Theory]
    [InlineData("fr", "/admin/deliveries", "<h1>Envois</h1>", "Abandonnés")]
    [InlineData("nl", "/admin/deliveries", "<h1>Verzendingen</h1>", "Opgegeven")]
    [InlineData("fr", "/admin/federation", "<h1>Fédération</h1>", "Bloquer un domaine")]
    [InlineData("nl", "/admin/federation", "<h1>Federatie</h1>", "Een domein blokkeren")]
    [InlineData("fr", "/admin/backup", "<h1>Sauvegarde</h1>", "Télécharger une sauvegarde")]
    [InlineData("nl", "/admin/backup", "<h1>Back-up</h1>", "Een back-up downloaden")]
    public async Task The_pages_speak_french_and_dutch(string lang, string path, string heading, string text)
    {
        using var browser = _node.Browser(lang);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);
        var (_, html) = await browser.GetAsync(path);
        Assert.Contains(heading, html);
        Assert.Contains(text, html);
    }

    [Fact]
    public async Task A_bad_domain_is_explained_in_the_readers_language()
    {
        using var browser = _node.Browser("fr-BE");
        await browser.SignInAsync("admin", UiNode.AdminPassword);
        var response = await browser.PostPageFormAsync("/admin/federation", "add-block", ("Block.Domain", "pas un domaine"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("n’est pas un nom de domaine", html);
    }
}
