using System.Globalization;
using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Modules.Committee.Resources;
using Commons.Web.Tests.Flow;
using Microsoft.Extensions.Localization;

namespace Commons.Web.Tests;

/// <summary>
/// The committee's pages over real HTTP, without a browser: what each bad input of the new proposal and follow-up
/// form gets (its status, the message beside its field, the rule's code), what a member who is neither steward nor
/// administrator may not do, unknown proposals and decisions, and the dashboard's line for a proposal not voted on.
/// Nothing is stored by a refused form. The committee is <see cref="CommitteeSeed"/>'s.
/// </summary>
public sealed class CommitteePagesTests : IAsyncLifetime
{
    private readonly UiNode _node = new();
    private CommitteeSeed.Slugs _slugs = null!;
    private PageTexts _en = null!;

    public Task InitializeAsync()
    {
        _ = _node.Address;
        (_, _slugs) = CommitteeSeed.OpenWithSlugs(_node);
        _en = new PageTexts(_node.Service<IStringLocalizerFactory>(), CultureInfo.GetCultureInfo("en"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private string Text(string key, params object[] args) => _en.Get<CommitteeText>(key, args);

    private int Proposals => _node.Service<RecordService>().List(UiNode.Admin, _slugs.Proposals, new RecordQuery { Limit = 100 }).Items.Count;

    private static (string Name, string Value)[] Form(params (string Name, string Value)[] changed)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.TitleEn"] = "Raise the limits", ["Form.Opens"] = "2030-01-01T09:00", ["Form.Closes"] = "2030-01-08T18:00",
            ["Form.Quorum"] = "50", ["Form.Rule"] = "simple", ["Form.Setting"] = "", ["Form.Scope"] = "*",
        };
        foreach (var (name, value) in changed) fields[name] = value;
        return fields.Select(f => (f.Key, f.Value)).ToArray();
    }

    [Fact]
    public async Task A_new_proposal_with_bad_fields_answers_400_with_each_message_beside_its_field_and_stores_nothing()
    {
        using var admin = await _node.AdminBrowserAsync();
        var before = Proposals;
        var response = await admin.PostPageFormAsync("/committee/new", "committee-new",
            Form(("Form.TitleEn", " "), ("Form.Quorum", "150"), ("Form.Opens", "tomorrow"), ("Form.Choices", "Only one")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"id=\"error-title\">{Text("TitleRequired")}", html);
        Assert.Contains(Text("InvalidQuorum"), html);
        Assert.Contains(Text("InvalidTime"), html);
        Assert.Contains(Text("InvalidChoices"), html);
        Assert.DoesNotContain("error-closes", html);
        Assert.Equal(before, Proposals);
    }

    [Theory]
    [InlineData("Form.Closes", "2029-12-31T09:00", "closes")]
    [InlineData("Form.Setting", "place.quota", "setting")]
    [InlineData("Form.Rule", "consent", "rule")]
    public async Task A_proposal_the_kind_refuses_shows_proposal_invalid_on_the_field_its_path_names(string field, string value, string shown)
    {
        using var admin = await _node.AdminBrowserAsync();
        var before = Proposals;
        var extra = field == "Form.Rule" ? new[] { (field, value), ("Form.Choices", "Alpha\nBeta") } : [(field, value)];
        var response = await admin.PostPageFormAsync("/committee/new", "committee-new", Form(extra));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"error-{shown}\" data-code=\"proposal_invalid\"", html);
        Assert.Equal(before, Proposals);
    }

    [Fact]
    public async Task A_good_proposal_is_stored_and_its_page_shows_its_terms_and_the_ballot_form()
    {
        using var admin = await _node.AdminBrowserAsync();
        var response = await admin.PostPageFormAsync("/committee/new", "committee-new", Form(("Form.Opens", "2020-01-01T09:00"), ("Form.Choices", "Parc Josaphat\nBois de la Cambre"), ("Form.Hidden", "true")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var path = response.Headers.Location!.AbsolutePath;
        Assert.StartsWith($"/committee/ours/{_slugs.Proposals}/", path, StringComparison.Ordinal);
        var (page, html) = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1>Raise the limits</h1>", html);
        Assert.Contains("id=\"option-parc-josaphat\"", html);
        Assert.Contains("id=\"option-bois-de-la-cambre\"", html);
        Assert.Contains(Text("ResultsHidden"), WebUtility.HtmlDecode(html));
        Assert.Contains("id=\"vote-submit\"", html);
    }

    [Fact]
    public async Task A_ballot_without_an_option_is_refused_on_its_field()
    {
        using var admin = await _node.AdminBrowserAsync();
        var response = await admin.PostPageFormAsync($"/committee/ours/{_slugs.Proposals}/charter", "committee-vote", ("Vote.Reason", "Pourquoi pas"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"id=\"error-option\">{Text("ChooseOptionError")}", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_member_who_is_no_steward_nor_administrator_gets_no_proposal_form_no_ballot_form_and_no_close_button()
    {
        var username = _node.CreateMember();
        _node.Service<DatasetService>().SetGrant(UiNode.Admin, _slugs.Proposals, username, GrantRole.Viewer);
        using var member = await _node.SignedInAsync(username);
        var (_, form) = await member.GetAsync("/committee/new");
        Assert.Contains("id=\"may-not-propose\"", form);
        Assert.DoesNotContain("proposal-submit", form);
        var (response, proposal) = await member.GetAsync($"/committee/ours/{_slugs.Proposals}/charter");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("vote-submit", proposal);
        Assert.DoesNotContain("close-submit", proposal);
        Assert.Contains("id=\"no-results\"", proposal);
    }

    [Fact]
    public async Task An_unknown_proposal_or_decision_answers_404_with_its_code()
    {
        using var admin = await _node.AdminBrowserAsync();
        var (proposal, html) = await admin.GetAsync($"/committee/ours/{_slugs.Proposals}/nope");
        Assert.Equal(HttpStatusCode.NotFound, proposal.StatusCode);
        Assert.Contains("data-code=\"proposal_unknown\"", html);
        var (decision, page) = await admin.GetAsync("/committee/decisions/nope");
        Assert.Equal(HttpStatusCode.NotFound, decision.StatusCode);
        Assert.Contains("id=\"decision-unknown\"", page);
    }

    [Fact]
    public async Task A_decision_not_adopted_shows_its_outcome_and_offers_no_follow_up()
    {
        using var admin = await _node.AdminBrowserAsync();
        var (_, proposal) = await admin.GetAsync($"/committee/ours/{_slugs.Proposals}/closed");
        Assert.Contains("data-outcome=\"no_quorum\"", proposal);
        Assert.DoesNotContain("vote-submit", proposal);
        var (_, decision) = await admin.GetAsync("/committee/decisions/closed");
        Assert.Contains("id=\"outcome\" data-outcome=\"no_quorum\"", decision);
        Assert.DoesNotContain("follow-up-submit", decision);
        var (_, list) = await admin.GetAsync("/committee/decisions");
        Assert.Contains("data-decision=\"closed\" data-overdue=\"false\"", list);
    }

    [Fact]
    public async Task The_dashboard_lists_an_open_proposal_this_node_has_not_voted_on_for_an_administrator_only()
    {
        using var admin = await _node.AdminBrowserAsync();
        var (_, dashboard) = await admin.GetAsync("/");
        Assert.Contains($"/committee/ours/{_slugs.Proposals}/charter", dashboard);
        using var member = await _node.MemberBrowserAsync();
        var (_, theirs) = await member.GetAsync("/");
        Assert.DoesNotContain("/committee/ours/", theirs);
    }
}
