using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Following;

namespace Commons.Web.Tests;

/// <summary>/datasets/{slug}/sharing over real HTTP: answering follow requests, removing followers, revocations, who may.</summary>
public sealed class SharingTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private async Task<Browser> AdminAsync()
    {
        var browser = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin", UiNode.AdminPassword)).StatusCode);
        return browser;
    }

    private static KeyValuePair<string, string>[] Answer(string html, string button, string actor) =>
        [new("_handler", "answer"), new("__RequestVerificationToken", Browser.Token(html)), new($"AnswerForm.{button}", actor)];

    [Fact]
    public async Task A_steward_sees_requests_followers_and_revocations_with_who_approved()
    {
        var steward = _node.CreateMember();
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Shared rooms", (steward, GrantRole.Steward));
        var pending = _node.AddFollower(slug, "asks.example", FollowerState.Pending);
        var approved = _node.AddFollower(slug, "approved.example", FollowerState.Accepted, approvedBy: "alice");
        var byPolicy = _node.AddFollower(slug, "open.example", FollowerState.Accepted);
        using var browser = _node.Browser();
        await browser.SignInAsync(steward, UiNode.MemberPassword);

        var (response, html) = await browser.GetAsync($"/datasets/{slug}/sharing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sharing of “Shared rooms”", html);
        Assert.Contains($"href=\"/datasets/{slug}/edit\"", html); // the policy is changed on the edit page
        var requests = Pages.Rows(html, "pending-requests", "data-actor");
        Assert.Equal([pending.ActorUri], requests.Keys);
        Assert.Contains("class=\"accept\"", requests[pending.ActorUri]);
        Assert.Contains("class=\"refuse secondary\"", requests[pending.ActorUri]);
        var followers = Pages.Rows(html, "followers", "data-actor");
        Assert.Equal(2, followers.Count);
        Assert.Contains("approved.example", followers[approved.ActorUri]);
        Assert.Contains("alice", followers[approved.ActorUri]);
        Assert.Contains("the sharing policy", followers[byPolicy.ActorUri]);
        Assert.Contains("class=\"remove danger\"", followers[byPolicy.ActorUri]);
        Assert.Contains("No access withdrawn.", html);
    }

    [Fact]
    public async Task Accepting_a_request_through_the_form_makes_a_follower_approved_by_the_signed_in_steward()
    {
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Offers");
        var follower = _node.AddFollower(slug, "accept-me.example", FollowerState.Pending);
        using var browser = await AdminAsync();
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/sharing");

        var response = await browser.PostFormAsync($"/datasets/{slug}/sharing", Answer(html, "Accept", follower.ActorUri));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(_node.Address, response.Headers.Location!).PathAndQuery;
        Assert.Equal($"/datasets/{slug}/sharing?done=accepted&peer=accept-me.example", location);
        var stored = _node.Service<IFollowerStore>().Find(slug, follower.ActorUri);
        Assert.Equal(FollowerState.Accepted, stored!.State);
        Assert.Equal("admin", stored.ApprovedBy);
        // The peer is told, through the durable outbox, exactly as the API's accept does.
        Assert.Contains(_node.Service<IDeliveryQueue>().List(dead: false, 1000), d => d.Inbox == follower.Inbox && d.ActivityType == "Accept");

        var (_, after) = await browser.GetAsync(location);
        Assert.Contains("role=\"status\"", after);
        Assert.Contains("accept-me.example now follows this dataset", after);
        Assert.Contains(follower.ActorUri, Pages.Rows(after, "followers", "data-actor").Keys);
    }

    [Fact]
    public async Task Refusing_a_request_removes_it_and_tells_the_peer()
    {
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Needs");
        var follower = _node.AddFollower(slug, "refuse-me.example", FollowerState.Pending);
        using var browser = await AdminAsync();
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/sharing");

        var response = await browser.PostFormAsync($"/datasets/{slug}/sharing", Answer(html, "Refuse", follower.ActorUri));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(_node.Service<IFollowerStore>().Find(slug, follower.ActorUri));
        Assert.Contains(_node.Service<IDeliveryQueue>().List(dead: false, 1000), d => d.Inbox == follower.Inbox && d.ActivityType == "Reject");
    }

    [Fact]
    public async Task Answering_a_request_that_is_no_longer_pending_says_so_and_changes_nothing()
    {
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Tools");
        var follower = _node.AddFollower(slug, "gone.example", FollowerState.Pending);
        var other = _node.AddFollower(slug, "stays.example", FollowerState.Pending);
        using var browser = await AdminAsync();
        var (_, html) = await browser.GetAsync($"/datasets/{slug}/sharing");
        _node.Service<IFollowerStore>().Remove(slug, follower.ActorUri); // the peer undid its Follow meanwhile

        var response = await browser.PostFormAsync($"/datasets/{slug}/sharing", Answer(html, "Accept", follower.ActorUri));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("role=\"alert\"", page);
        Assert.Contains("gone.example is no longer waiting", page);
        Assert.Null(_node.Service<IFollowerStore>().Find(slug, follower.ActorUri));
        Assert.Equal(FollowerState.Pending, _node.Service<IFollowerStore>().Find(slug, other.ActorUri)!.State);

        var empty = await browser.PostFormAsync($"/datasets/{slug}/sharing", [new("_handler", "answer"), new("__RequestVerificationToken", Browser.Token(html))]);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Choose Accept or Refuse", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Removing_a_follower_goes_through_a_confirmation_and_its_purge_confirmation_shows_up()
    {
        var slug = _node.CreateDataset(SharingPolicy.Public, "Calendar");
        var follower = _node.AddFollower(slug, "remove-me.example", FollowerState.Accepted);
        using var browser = await AdminAsync();

        var (confirm, html) = await browser.GetAsync($"/datasets/{slug}/sharing/remove?actor={Uri.EscapeDataString(follower.ActorUri)}");
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.True(Pages.Has(html, "confirm-remove"));
        Assert.Contains("Remove remove-me.example from the followers of “Calendar”?", html);
        Assert.NotNull(_node.Service<IFollowerStore>().Find(slug, follower.ActorUri)); // showing the question removed nothing

        var response = await browser.PostFormAsync($"/datasets/{slug}/sharing/remove",
            [new("_handler", "remove"), new("__RequestVerificationToken", Browser.Token(html)), new("RemoveForm.Actor", follower.ActorUri)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(_node.Service<IFollowerStore>().Find(slug, follower.ActorUri));

        var (_, sharing) = await browser.GetAsync($"/datasets/{slug}/sharing");
        var revoked = Pages.Rows(sharing, "revocations", "data-actor");
        Assert.Contains("removed by a steward", revoked[follower.ActorUri]);
        Assert.Contains("waiting for confirmation since", revoked[follower.ActorUri]);

        // The peer confirms it deleted its copy (a signed Remove, handled by the same manager as the inbox uses).
        var revocation = _node.Service<IRevocationStore>().List(slug).Single();
        var purgedAt = new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);
        _node.Service<FollowerManager>().OnPurgeConfirmed(follower.ActorUri, $"{_node.Service<Commons.Federation.ActivityStreams.ActivityUris>().DatasetActor(slug)}",
            revocation.RejectActivityId, purgedAt, "https://remove-me.example/confirmations/1");
        var (_, confirmed) = await browser.GetAsync($"/datasets/{slug}/sharing");
        var row = Pages.Rows(confirmed, "revocations", "data-actor")[follower.ActorUri];
        Assert.Contains("purged by remove-me.example at", row);
        Assert.Contains("class=\"badge verified\"", row);
    }

    [Fact]
    public async Task Removing_someone_who_is_not_a_follower_is_not_found()
    {
        var slug = _node.CreateDataset(SharingPolicy.Public, "Rooms");
        var pending = _node.AddFollower(slug, "only-asking.example", FollowerState.Pending);
        using var browser = await AdminAsync();
        var (response, html) = await browser.GetAsync($"/datasets/{slug}/sharing/remove?actor={Uri.EscapeDataString(pending.ActorUri)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(Pages.Has(html, "confirm-remove"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/datasets/{slug}/sharing/remove")).Response.StatusCode);
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        var slug = _node.CreateDataset(SharingPolicy.Public, "Forged");
        var pending = _node.AddFollower(slug, "forged-pending.example", FollowerState.Pending);
        var accepted = _node.AddFollower(slug, "forged-accepted.example", FollowerState.Accepted);
        using var browser = await AdminAsync();

        var answer = await browser.PostFormAsync($"/datasets/{slug}/sharing", [new("_handler", "answer"), new("AnswerForm.Accept", pending.ActorUri)]);
        var remove = await browser.PostFormAsync($"/datasets/{slug}/sharing/remove", [new("_handler", "remove"), new("RemoveForm.Actor", accepted.ActorUri)]);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        var followers = _node.Service<IFollowerStore>();
        Assert.Equal(FollowerState.Pending, followers.Find(slug, pending.ActorUri)!.State);
        Assert.Equal(FollowerState.Accepted, followers.Find(slug, accepted.ActorUri)!.State);
    }

    [Theory]
    [InlineData(SharingPolicy.Public, null, HttpStatusCode.Forbidden)]      // a member may see a shared dataset, not steward it
    [InlineData(SharingPolicy.Private, null, HttpStatusCode.NotFound)]      // a private dataset does not exist for them
    [InlineData(SharingPolicy.Private, GrantRole.Viewer, HttpStatusCode.Forbidden)]
    [InlineData(SharingPolicy.Approval, GrantRole.Editor, HttpStatusCode.Forbidden)]
    public async Task Members_who_are_not_stewards_are_refused_by_url_on_get_and_post(SharingPolicy policy, GrantRole? grant, HttpStatusCode expected)
    {
        var member = _node.CreateMember();
        var slug = grant is { } g ? _node.CreateDataset(policy, "Guarded ledger", (member, g)) : _node.CreateDataset(policy, "Guarded ledger");
        var pending = _node.AddFollower(slug, "guarded-pending.example", FollowerState.Pending);
        var accepted = _node.AddFollower(slug, "guarded-accepted.example", FollowerState.Accepted);
        using var browser = _node.Browser();
        await browser.SignInAsync(member, UiNode.MemberPassword);

        var (get, html) = await browser.GetAsync($"/datasets/{slug}/sharing");
        Assert.Equal(expected, get.StatusCode);
        Assert.DoesNotContain("guarded-pending.example", html);
        Assert.False(Pages.Has(html, "pending-requests"));
        var (confirm, confirmHtml) = await browser.GetAsync($"/datasets/{slug}/sharing/remove?actor={Uri.EscapeDataString(accepted.ActorUri)}");
        Assert.Equal(expected, confirm.StatusCode);
        Assert.False(Pages.Has(confirmHtml, "confirm-remove"));

        // A token from a page they may open, and forms posted by hand: refused the same way, nothing changes.
        var (_, dashboard) = await browser.GetAsync("/");
        var token = Browser.Token(dashboard);
        var answer = await browser.PostFormAsync($"/datasets/{slug}/sharing", [new("_handler", "answer"), new("__RequestVerificationToken", token), new("AnswerForm.Accept", pending.ActorUri)]);
        var remove = await browser.PostFormAsync($"/datasets/{slug}/sharing/remove", [new("_handler", "remove"), new("__RequestVerificationToken", token), new("RemoveForm.Actor", accepted.ActorUri)]);
        Assert.Equal(expected, answer.StatusCode);
        Assert.Equal(expected, remove.StatusCode);
        var followers = _node.Service<IFollowerStore>();
        Assert.Equal(FollowerState.Pending, followers.Find(slug, pending.ActorUri)!.State);
        Assert.Equal(FollowerState.Accepted, followers.Find(slug, accepted.ActorUri)!.State);
    }

    [Fact]
    public async Task The_sharing_page_speaks_french_and_dutch()
    {
        var slug = _node.CreateDataset(SharingPolicy.Approval, "Salles");
        _node.AddFollower(slug, "fr.example", FollowerState.Pending);
        foreach (var (lang, heading, accept) in new[] { ("fr", "Demandes de suivi en attente", "Accepter"), ("nl", "Openstaande volgverzoeken", "Aanvaarden") })
        {
            using var browser = _node.Browser(lang);
            await browser.SignInAsync("admin", UiNode.AdminPassword);
            var (_, html) = await browser.GetAsync($"/datasets/{slug}/sharing");
            Assert.Contains(heading, html);
            Assert.Contains($">{accept}</button>", html);
        }
    }
}
