using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Core.Services;

namespace Commons.Web.Tests;

/// <summary>
/// The dashboard's first-run checklist on a fresh node, read as HTML: four steps for an administrator, the two a member
/// may take for a member, each ticking itself from the node's state; a module's step only while the module is on; the
/// list gone once everything is done or an administrator hid it; the organisation's description at the top.
/// </summary>
public sealed partial class FirstRunChecklistTests : IAsyncLifetime
{
    private readonly UiNode _node = new();
    public Task InitializeAsync() { _ = _node.Address; return Task.CompletedTask; }
    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>The steps shown, by id, each with whether it says it is done.</summary>
    private static Dictionary<string, bool> Steps(string html) =>
        StepPattern().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value == "done");

    [GeneratedRegex("""<li id="step-([a-z0-9-]+)" class="step-(done|todo)">""")]
    private static partial Regex StepPattern();

    private async Task<Dictionary<string, bool>> AdminStepsAsync()
    {
        using var admin = await _node.AdminBrowserAsync();
        return Steps((await admin.GetAsync("/")).Html);
    }

    [Fact]
    public async Task A_fresh_node_shows_four_steps_to_do_and_each_ticks_itself_when_done()
    {
        using var admin = await _node.AdminBrowserAsync();
        var (response, html) = await admin.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["describe", "dataset", "follow", "invite"], Steps(html).Keys);
        Assert.All(Steps(html).Values, Assert.False);
        Assert.Contains("""<a href="/admin/organisation">Name and describe the organisation</a>""", html);
        Assert.Contains("(to do)", html);
        Assert.Contains("Done: 0 of 4", html);

        _node.CreateDataset(SharingPolicy.Private, "Ateliers");
        Assert.True((await AdminStepsAsync())["dataset"]);

        var invited = await admin.PostPageFormAsync("/members", "invite", ("InviteForm.Role", "Member"));
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        Assert.True((await AdminStepsAsync())["invite"]);

        var saved = await admin.PostPageFormAsync("/admin/organisation", "organisation",
            ("Form.Name", "Maison des Alternatives"), ("Form.Fr", "Un lieu partagé à Anderlecht."), ("Form.Nl", ""), ("Form.En", "A shared place in Anderlecht."));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var steps = await AdminStepsAsync();
        Assert.True(steps["describe"]);
        Assert.False(steps["follow"]);

        _node.AddSubscription("Offres et besoins", SubscriptionState.Pending);
        var (_, done) = await admin.GetAsync("/");
        Assert.Empty(Steps(done));
        Assert.DoesNotContain("id=\"first-run\"", done);
        Assert.Contains("<h2 id=\"node-intro-name\">Maison des Alternatives</h2>", done);
        Assert.Contains("<p id=\"node-description\" lang=\"en\">A shared place in Anderlecht.</p>", done);
    }

    [Fact]
    public async Task A_member_sees_only_the_steps_a_member_takes_and_the_description_in_their_language()
    {
        _node.Service<NodeProfileService>().Change(UiNode.Admin, null, new LocalizedText("Un atelier vélo.", null, "A bicycle workshop."));
        using var member = await _node.SignedInAsync(_node.CreateMember(), acceptLanguage: "nl");
        var (_, html) = await member.GetAsync("/");
        Assert.Equal(["dataset", "follow"], Steps(html).Keys);
        Assert.DoesNotContain("id=\"first-run-hide\"", html);
        Assert.Contains("Een eerste dataset maken", html);
        Assert.Contains("(te doen)", html);
        // No Dutch text: the English one, marked as English.
        Assert.Contains("<p id=\"node-description\" lang=\"en\">A bicycle workshop.</p>", html);
    }

    [Fact]
    public async Task The_places_step_shows_only_while_the_module_is_on_and_ticks_with_a_first_resource()
    {
        using var admin = await _node.AdminBrowserAsync();
        Assert.DoesNotContain("place-first-resource", (await AdminStepsAsync()).Keys);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostPageFormAsync("/admin/modules", "module-switch", ("switch", "place:on"))).StatusCode);
        var steps = await AdminStepsAsync();
        Assert.Equal(["describe", "dataset", "follow", "invite", "place-first-resource"], steps.Keys);
        Assert.False(steps["place-first-resource"]);
        Assert.Contains("""<a href="/place">Add a first room or equipment to book</a>""", (await admin.GetAsync("/")).Html);

        var datasets = _node.Service<DatasetService>();
        datasets.Create(UiNode.Admin, new DatasetDraft { Slug = "salles", Kind = "place.resources", Title = new LocalizedText("Salles", null, null) });
        _node.Service<RecordService>().Create(UiNode.Admin, "salles", null, JsonDocument.Parse("""{"name":{"fr":"Salle 1"},"category":"room"}""").RootElement.Clone());
        Assert.True((await AdminStepsAsync())["place-first-resource"]);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostPageFormAsync("/admin/modules", "module-switch", ("switch", "place:off"))).StatusCode);
        Assert.DoesNotContain("place-first-resource", (await AdminStepsAsync()).Keys);
    }

    [Fact]
    public async Task An_administrator_hides_the_list_for_everyone_and_a_member_cannot()
    {
        using var member = await _node.MemberBrowserAsync();
        var refused = await member.PostPageFormAsync("/", "first-run-hide");
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.False(_node.Service<INodeStore>().Get()!.FirstRunHidden);

        using var admin = await _node.AdminBrowserAsync();
        var hidden = await admin.PostPageFormAsync("/", "first-run-hide");
        Assert.Equal(HttpStatusCode.Redirect, hidden.StatusCode);
        Assert.Equal("/", hidden.Headers.Location!.OriginalString.Replace(_node.Address.ToString(), "/", StringComparison.Ordinal));
        Assert.True(_node.Service<INodeStore>().Get()!.FirstRunHidden);
        Assert.DoesNotContain("id=\"first-run\"", (await admin.GetAsync("/")).Html);
        Assert.DoesNotContain("id=\"first-run\"", (await member.GetAsync("/")).Html);

        // Without the antiforgery token nothing is hidden either (here: already hidden, so the request is simply refused).
        var forged = await admin.PostFormAsync("/", [new("_handler", "first-run-hide")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task The_organisation_page_refuses_a_blank_name_and_a_long_description_with_messages_next_to_the_fields()
    {
        using var admin = await _node.AdminBrowserAsync();
        var before = _node.Service<INodeStore>().Get()!;
        var response = await admin.PostPageFormAsync("/admin/organisation", "organisation",
            ("Form.Name", "  "), ("Form.Fr", new string('a', 1001)), ("Form.Nl", ""), ("Form.En", ""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"organisation-errors\"", html);
        Assert.Contains("<a href=\"#node-name\">A node name has 1 to 100 characters.</a>", html);
        Assert.Contains("<a href=\"#description-fr\">A description has at most 1000 characters.</a>", html);
        Assert.Contains("id=\"node-name-error\"", html);
        var after = _node.Service<INodeStore>().Get()!;
        Assert.Equal((before.Name, before.Description), (after.Name, after.Description));
    }
}
