using System.Net;

namespace Commons.Web.Tests;

/// <summary>Every administration page is for administrators only: a member gets 403 by URL, on GET and on POST, and nothing changes.</summary>
public sealed class AdminAccessTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    [Theory]
    [InlineData("/admin", "Node")]
    [InlineData("/admin/deliveries", "dead-letters")]
    [InlineData("/admin/federation", "domain")]
    [InlineData("/admin/backup", "backup")]
    [InlineData("/admin/organisation", "node-name")]
    public async Task A_member_gets_403_by_url(string path, string notShown)
    {
        using var member = await _node.MemberBrowserAsync();
        var (response, html) = await member.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain($"id=\"{notShown}", html);
        Assert.DoesNotContain("<form method=\"post\" class=\"inline\" action=\"/admin", html);

        using var admin = await _node.AdminBrowserAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).Response.StatusCode);
    }

    [Fact]
    public async Task A_member_cannot_post_the_forms()
    {
        var dead = _node.DeadLetters(1)[0];
        using var member = await _node.MemberBrowserAsync();

        foreach (var (path, handler, fields) in new (string, string, (string, string)[])[]
        {
            ("/admin/deliveries", "retry", [("id", dead.Id)]),
            ("/admin/deliveries", "retry-all", []),
            ($"/admin/deliveries?discard={dead.Id}", "discard", [("id", dead.Id)]),
            ("/admin/federation", "add-block", [("Block.Domain", "member-was-here.example")]),
            ("/admin/federation", "mode", [("Mode.Value", "AllowList")]),
            ("/admin/backup", "backup", []),
            ("/admin/organisation", "organisation", [("Form.Name", "Member was here")]),
        })
        {
            var response = await member.PostPageFormAsync(path, handler, fields);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} {handler}: {response.StatusCode}");
            Assert.NotEqual("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        }

        var download = await member.PostFormFromAsync("/admin/backup", Commons.Node.Web.Admin.BackupDownload.Path, "");
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
        Assert.Null(download.Content.Headers.ContentDisposition);

        Assert.True(_node.Service<Core.Federation.IDeliveryQueue>().Find(dead.Id)!.Dead);
        var rules = _node.Service<Federation.Http.DomainPolicyProvider>().Rules;
        Assert.DoesNotContain(rules.Blocked, e => e.Domain == "member-was-here.example");
        Assert.Equal(Federation.Http.FederationMode.Open, rules.Mode);
        Assert.NotEqual("Member was here", _node.Service<Core.Nodes.INodeStore>().Get()!.Name);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        using var browser = _node.Browser();
        var (response, _) = await browser.GetAsync("/admin/deliveries");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }
}
