using System.Net;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using static Commons.Web.Tests.DatasetPages;

namespace Commons.Web.Tests;

/// <summary>
/// A policy or allow-list change that would cost followers their access is shown first and saved only when confirmed;
/// the followers listed are exactly those federation then revokes (and the pending requests it refuses).
/// </summary>
public sealed class DatasetPolicyPreviewTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private static List<string> Listed(string html, string table)
    {
        var m = Regex.Match(html, $"<table id=\"{table}\">(.*?)</table>", RegexOptions.Singleline);
        return m.Success ? Regex.Matches(m.Groups[1].Value, "<td><code>([^<]+)</code></td>").Select(x => WebUtility.HtmlDecode(x.Groups[1].Value)).Order().ToList() : [];
    }

    /// <summary>A dataset shared publicly with: B accepted automatically, C approved by a steward, D a pending request, E on host e.test.</summary>
    private async Task<(string Slug, string B, string C, string D, string E)> Followed(SharingPolicy policy, params string[] peers)
    {
        var slug = _node.CreateDataset(SharingPolicy.Public, "Followed");
        if (policy != SharingPolicy.Public || peers.Length > 0)
            _node.Service<Core.Services.DatasetService>().Update(UiNode.Admin, slug, new DatasetDraft { Policy = policy, AllowedPeers = peers });
        // The setup's own policy change is met by the fan-out before the followers arrive (it would reassess them).
        await _node.WaitForFanOutAsync(slug);
        var (b, c, d, e) = ($"http://b.test/users/{slug}", $"http://c.test/users/{slug}", $"http://d.test/users/{slug}", $"http://e.test/users/{slug}");
        _node.AddFollowerActor(slug, b);
        _node.AddFollowerActor(slug, c, approvedBy: "admin");
        _node.AddFollowerActor(slug, d, FollowerState.Pending);
        _node.AddFollowerActor(slug, e);
        return (slug, b, c, d, e);
    }

    public static TheoryData<SharingPolicy, string, SharingPolicy, string> Changes => new()
    {
        { SharingPolicy.Public, "", SharingPolicy.Approval, "" },             // revokes those accepted automatically (B, E)
        { SharingPolicy.Public, "", SharingPolicy.Peers, "c.test\nd.test" },  // revokes B and E; D's request stays
        { SharingPolicy.Peers, "b.test\nc.test\ne.test", SharingPolicy.Peers, "c.test" }, // the allow-list alone shrinks
        { SharingPolicy.Approval, "", SharingPolicy.Private, "" },            // everyone, and the pending request refused
        { SharingPolicy.Approval, "", SharingPolicy.Peers, "e.test" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task The_preview_lists_exactly_the_followers_the_confirmed_save_then_revokes(SharingPolicy from, string fromPeers, SharingPolicy to, string toPeers)
    {
        var (slug, b, c, d, e) = await Followed(from, fromPeers.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var before = _node.Dataset(slug);
        var fields = EditForm(Browser.Token(html), before, ("Form.Policy", to.ToString()), ("Form.AllowedPeers", toPeers), ("Form.TitleEn", "Followed, changed"));

        var previewResponse = await browser.PostFormAsync($"/datasets/{slug}/edit", fields);
        var preview = await previewResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        Assert.Contains("id=\"confirm-policy-change\"", preview);
        Assert.Contains("value=\"Followed, changed\"", Tag(preview, "title-en")); // what was typed is kept for the confirmation
        var revokedListed = Listed(preview, "policy-preview-revoked");
        var refusedListed = Listed(preview, "policy-preview-refused");
        Assert.NotEmpty(revokedListed);
        // Nothing saved yet, nobody revoked.
        Assert.Equal(before.Version, _node.Dataset(slug).Version);
        Assert.Equal(4, _node.Service<IFollowerStore>().List(slug).Count);

        var confirmed = Regex.Matches(preview, "name=\"(Form\\.Confirmed\\[\\d+\\])\" value=\"([^\"]+)\"").Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        var save = await browser.PostFormAsync($"/datasets/{slug}/edit", Fields("dataset-edit", Browser.Token(preview),
            [.. fields.Skip(2).Select(f => (f.Key, f.Value)), .. confirmed, ("Form.Action", "confirm")]));
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var after = _node.Dataset(slug);
        Assert.Equal((to, "Followed, changed"), (after.Policy, after.Title.En));

        await _node.WaitForFanOutAsync(slug);
        var revoked = _node.Service<IRevocationStore>().List(slug).Select(r => r.ActorUri).Order().ToList();
        Assert.Equal(revokedListed, revoked);
        var remaining = _node.Service<IFollowerStore>().List(slug).Select(f => f.ActorUri).ToHashSet();
        var refused = new[] { b, c, d, e }.Where(a => !remaining.Contains(a) && !revoked.Contains(a)).Order().ToList();
        Assert.Equal(refusedListed, refused);
    }

    [Fact]
    public async Task The_approval_case_names_the_automatic_followers_and_keeps_the_approved_one()
    {
        var (slug, b, c, d, e) = await Followed(SharingPolicy.Public);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), _node.Dataset(slug), ("Form.Policy", "Approval")));
        var preview = await response.Content.ReadAsStringAsync();
        Assert.Equal([b, e], Listed(preview, "policy-preview-revoked"));
        Assert.Empty(Listed(preview, "policy-preview-refused"));
        Assert.Contains("b.test", preview);
        Assert.Contains("automatically, by the policy", preview);
        Assert.DoesNotContain(c, preview);
        Assert.DoesNotContain(d, preview);
    }

    [Fact]
    public async Task A_change_that_costs_nobody_access_is_saved_at_once()
    {
        var (slug, _, _, _, _) = await Followed(SharingPolicy.Approval);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var response = await browser.PostFormAsync($"/datasets/{slug}/edit", EditForm(Browser.Token(html), _node.Dataset(slug), ("Form.Policy", "Public")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(SharingPolicy.Public, _node.Dataset(slug).Policy);
        await _node.WaitForFanOutAsync(slug);
        Assert.Empty(_node.Service<IRevocationStore>().List(slug));
        Assert.Equal(4, _node.Service<IFollowerStore>().List(slug).Count);
    }

    [Fact]
    public async Task A_follower_arriving_between_preview_and_confirmation_is_shown_before_anything_is_saved()
    {
        var (slug, b, _, _, e) = await Followed(SharingPolicy.Public);
        using var browser = await _node.SignedInAsync("admin", UiNode.AdminPassword);
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/edit");
        var fields = EditForm(Browser.Token(html), _node.Dataset(slug), ("Form.Policy", "Approval"));
        var preview = await (await browser.PostFormAsync($"/datasets/{slug}/edit", fields)).Content.ReadAsStringAsync();
        Assert.Equal([b, e], Listed(preview, "policy-preview-revoked"));

        var late = $"http://f.test/users/{slug}";
        _node.AddFollowerActor(slug, late);
        var confirmed = Regex.Matches(preview, "name=\"(Form\\.Confirmed\\[\\d+\\])\" value=\"([^\"]+)\"").Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        var second = await browser.PostFormAsync($"/datasets/{slug}/edit", Fields("dataset-edit", Browser.Token(preview),
            [.. fields.Skip(2).Select(f => (f.Key, f.Value)), .. confirmed, ("Form.Action", "confirm")]));
        var secondHtml = await second.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("id=\"policy-preview-changed\"", secondHtml);
        Assert.Equal(new[] { b, e, late }.Order(), Listed(secondHtml, "policy-preview-revoked"));
        Assert.Equal(SharingPolicy.Public, _node.Dataset(slug).Policy);
    }
}
