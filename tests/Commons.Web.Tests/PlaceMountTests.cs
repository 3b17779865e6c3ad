using System.Net;
using Commons.Node.Hosting.Modules;

namespace Commons.Web.Tests;

/// <summary>The first real module, as the node registers it (NodeModules): off on a new node, mounted at once when turned on.</summary>
public sealed class PlaceMountTests : IAsyncLifetime
{
    private readonly UiNode _node = new();
    public Task InitializeAsync() { _ = _node.Address; return Task.CompletedTask; }
    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task The_shared_place_is_off_on_a_new_node_and_its_pages_and_menu_entry_come_with_the_switch()
    {
        Assert.Contains(NodeModules.All, m => m.Name == "place");
        using var admin = await _node.AdminBrowserAsync();
        using var member = await _node.MemberBrowserAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/place")).Response.StatusCode);
        Assert.DoesNotContain("href=\"/place\"", (await member.GetAsync("/")).Html);

        var switched = await admin.PostPageFormAsync("/admin/modules", "module-switch", ("switch", "place:on"));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var (page, html) = await member.GetAsync("/place");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("href=\"/place\"", html);
        // The module's own strings, in the member's language.
        using var dutch = await _node.SignedInAsync(_node.CreateMember(), acceptLanguage: "nl");
        Assert.Contains("Gedeelde plek", (await dutch.GetAsync("/place")).Html);
    }
}
