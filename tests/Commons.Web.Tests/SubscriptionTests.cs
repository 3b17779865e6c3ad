using System.Net;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Following;

namespace Commons.Web.Tests;

/// <summary>/subscriptions and /subscriptions/{id} over real HTTP on one node: the follow form's errors, the table, the replica, unfollowing.</summary>
public sealed class SubscriptionTests(UiNodeFixture fixture) : IClassFixture<UiNodeFixture>
{
    private readonly UiNode _node = fixture.Node;

    private async Task<Browser> SignedInAsync(string? user = null)
    {
        var browser = _node.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(user ?? "admin", user is null ? UiNode.AdminPassword : UiNode.MemberPassword)).StatusCode);
        return browser;
    }

    private static async Task<(HttpResponseMessage Response, string Html)> FollowAsync(Browser browser, string target)
    {
        var (_, page) = await browser.GetAsync("/subscriptions");
        var response = await browser.PostFormAsync("/subscriptions",
            [new("_handler", "follow"), new("__RequestVerificationToken", Browser.Token(page)), new("FollowForm.Target", target)]);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", "Enter a dataset handle or its address.")]
    [InlineData("   ", "Enter a dataset handle or its address.")]
    [InlineData("not a handle", "This is neither a handle such as offers@commons.example.org nor an http(s) address.")]
    [InlineData("ftp://example.org/datasets/x", "This is neither a handle")]
    // This node may not reach private addresses (production setting): the same refusal as POST /api/subscriptions.
    [InlineData("offers@127.0.0.1:9", "This address is refused: it is on a private network or a blocked domain.")]
    [InlineData("http://127.0.0.1:9/datasets/offers", "This address is refused")]
    [InlineData("http://10.1.2.3/datasets/offers", "This address is refused")]
    public async Task A_bad_follow_target_is_explained_next_to_the_field_and_nothing_is_stored(string target, string message)
    {
        using var browser = await SignedInAsync(_node.CreateMember());
        var before = _node.Service<ISubscriptionStore>().List().Count;

        var (response, html) = await FollowAsync(browser, target);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("<p class=\"field-error\" id=\"follow-target-error\">", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(message).Replace("&#x2019;", "’"), html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains("aria-describedby=\"follow-target-hint follow-target-error\"", html);
        Assert.Contains($"value=\"{System.Net.WebUtility.HtmlEncode(target)}\"", html); // what was typed is kept
        Assert.Equal(before, _node.Service<ISubscriptionStore>().List().Count);
    }

    [Fact]
    public async Task The_follow_form_needs_the_antiforgery_token()
    {
        using var browser = await SignedInAsync();
        var response = await browser.PostFormAsync("/subscriptions", [new("_handler", "follow"), new("FollowForm.Target", "offers@example.org")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_table_lists_each_subscription_with_its_state_records_and_last_change()
    {
        var accepted = _node.AddSubscription("Rooms of La Vallée", SubscriptionState.Accepted);
        var pending = _node.AddSubscription("Tools <library>", SubscriptionState.Pending);
        var received = new DateTimeOffset(2026, 2, 3, 10, 0, 0, TimeSpan.Zero);
        _node.AddReplicas(accepted, 3, i => $$"""{"room":"R{{i}}"}""", receivedFrom: received);
        using var browser = await SignedInAsync(_node.CreateMember());

        var (response, html) = await browser.GetAsync("/subscriptions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Pages.Has(html, "follow-target") && Pages.Has(html, "follow-submit"));
        Assert.Contains("<label for=\"follow-target\">", html);
        var rows = Pages.Rows(html, "subscriptions", "data-subscription");
        Assert.Contains("Rooms of La Vallée", rows[accepted.Id]);
        Assert.Contains(">Following<", rows[accepted.Id]);
        Assert.Contains("<td class=\"num\">3</td>", rows[accepted.Id]);
        Assert.Contains($"datetime=\"{received.AddSeconds(2):O}\"", WebUtility.HtmlDecode(rows[accepted.Id])); // the newest of its 3
        Assert.Contains($"href=\"/subscriptions/{accepted.Id}\"", rows[accepted.Id]);
        Assert.Contains($"href=\"/subscriptions/{accepted.Id}/unfollow\"", rows[accepted.Id]);
        Assert.Contains("Tools &lt;library&gt;", rows[pending.Id]); // a peer's name is never markup
        Assert.Contains(">Waiting for approval<", rows[pending.Id]);
        Assert.Contains("not yet", rows[pending.Id]);
    }

    [Fact]
    public async Task The_replica_shows_provenance_badges_searches_and_pages()
    {
        var s = _node.AddSubscription("Offers of Amis", SubscriptionState.Accepted);
        _node.AddReplicas(s, 30, i => $$"""{"title":"Offer {{i:D2}}","note":"{{(i == 7 ? "vélo <b>cargo</b>" : "plain")}}"}""", verified: i => i != 3);
        using var browser = await SignedInAsync(_node.CreateMember());

        var (response, html) = await browser.GetAsync($"/subscriptions/{s.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Offers of Amis</h1>", html); // the origin is unreachable: the recorded name
        var rows = Pages.Rows(html, "replica-records", "data-record");
        Assert.Equal(25, rows.Count);
        // Where the records come from is said once; a row says only that its signature did not verify.
        Assert.Contains("These records come from “Offers of Amis”, a dataset on the other node peer.invalid.", html);
        Assert.Contains("1 of the records on this page have no valid signature", html);
        Assert.DoesNotContain("badge", rows["r000"]);
        Assert.Contains("<span class=\"badge unverified\">not verified</span>", rows["r003"]);
        // Named by the origin's name for it, linked to its page; the fields found in the records are the columns; no id.
        Assert.Contains($"<a href=\"/subscriptions/{s.Id}/records/r000\">Record 0</a>", rows["r000"]);
        Assert.Contains(">Offer 00</td>", rows["r000"]);
        Assert.DoesNotContain(">r000<", rows["r000"]);
        Assert.Contains("tabindex=\"0\" role=\"region\" aria-labelledby=\"replica-heading\"", html);
        Assert.True(Pages.Has(html, "verify-origin"));
        Assert.Contains($"href=\"/subscriptions/{s.Id}/export\"", html);

        var next = System.Text.RegularExpressions.Regex.Match(html, "href=\"([^\"]+)\" rel=\"next\"").Groups[1].Value;
        var (_, second) = await browser.GetAsync(WebUtility.HtmlDecode(next));
        Assert.Equal(["r025", "r026", "r027", "r028", "r029"], Pages.Rows(second, "replica-records", "data-record").Keys);

        var (_, found) = await browser.GetAsync($"/subscriptions/{s.Id}?q=velo");
        var hit = Assert.Single(Pages.Rows(found, "replica-records", "data-record"));
        Assert.Equal("r007", hit.Key);
        Assert.Contains("vélo &lt;b&gt;cargo&lt;/b&gt;", hit.Value);
        var (_, none) = await browser.GetAsync($"/subscriptions/{s.Id}?q=nothing-like-this");
        Assert.True(Pages.Has(none, "no-replica-records"));

        // A hand-edited query is no failure: a verify result without its counts is simply not shown.
        var (edited, editedHtml) = await browser.GetAsync($"/subscriptions/{s.Id}?check=equal&here=abc&origin=-1");
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.False(Pages.Has(editedHtml, "verify-result"));
        var (_, shown) = await browser.GetAsync($"/subscriptions/{s.Id}?check=resync&here=30&origin=31");
        Assert.Contains("here 30 records, at the origin 31", shown);
    }

    [Fact]
    public async Task The_origins_columns_and_labels_name_the_table_and_the_record_page_shows_every_field()
    {
        var s = _node.AddSubscription("Lieux", SubscriptionState.Accepted) with
        {
            Schema = """{"type":"object","properties":{"code":{"type":"string"},"nom":{"type":"string","x-titles":{"en":"Place"}},"commune":{"type":"string","title":"Municipality"},"open":{"type":"boolean"},"tags":{"type":"array"}}}""",
            TitleField = "nom", Columns = ["commune"], Description = "Rooms to rent\n\nin Brussels",
        };
        _node.Service<ISubscriptionStore>().Upsert(s);
        _node.AddReplicas(s, 3, i => i == 2 ? """{"code":"C2"}""" : $$$"""{"code":"C{{{i}}}","nom":"Salle {{{i}}}","commune":"Anderlecht","open":true,"tags":["calme","jardin"],"extra":{"a":1}}""",
            verified: i => i != 1);
        var store = _node.Service<IReplicaStore>();
        store.ApplyIfNewer(store.Get(s.Id, "r000")! with { Revision = 2, Deleted = true, Data = default });
        using var browser = await SignedInAsync(_node.CreateMember());

        var (_, html) = await browser.GetAsync($"/subscriptions/{s.Id}");
        Assert.Contains("<p>Rooms to rent</p>", html);
        Assert.Contains("<p>in Brussels</p>", html);
        var rows = Pages.Rows(html, "replica-records", "data-record");
        Assert.Equal(["r001", "r002"], rows.Keys);
        Assert.Contains(">Salle 1</a>", rows["r001"]);
        Assert.Contains("data-label=\"Municipality\" data-field=\"commune\">Anderlecht</td>", rows["r001"]);
        Assert.DoesNotContain("calme", rows["r001"]); // not one of the origin's columns
        Assert.Contains(">Record 2</a>", rows["r002"]); // no title: the name the origin gave it

        var (ok, record) = await browser.GetAsync($"/subscriptions/{s.Id}/records/r001");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("<h1 id=\"record-title\">Salle 1</h1>", record);
        foreach (var field in new[] { "<dt>Place</dt><dd>Salle 1</dd>", "<dt>code</dt><dd>C1</dd>", "<dt>Municipality</dt><dd>Anderlecht</dd>", "<dt>open</dt><dd>yes</dd>",
                     "<dt>tags</dt><dd>calme, jardin</dd>", "<dt>extra</dt><dd>a: 1</dd>" })
            Assert.Contains(field, record);
        Assert.Contains("data-status=\"unverified\">not verified: no valid signature</dd>", record);
        Assert.Contains("<dd id=\"origin-node\">peer.invalid</dd>", record);
        Assert.Contains($"href=\"{s.DatasetActor}/records/r001\"", record);
        Assert.Contains("<code>r001</code>", record);

        var (_, deleted) = await browser.GetAsync($"/subscriptions/{s.Id}/records/r000");
        Assert.Contains("This record was deleted at its origin", deleted);
        Assert.Contains("data-status=\"deleted\">deleted at the origin</dd>", deleted);
        Assert.DoesNotContain("record-fields", deleted);

        var (_, untitled) = await browser.GetAsync($"/subscriptions/{s.Id}/records/r002");
        Assert.Contains("data-status=\"verified\">verified against the key of “Lieux”</dd>", untitled);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/subscriptions/{s.Id}/records/nope")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/subscriptions/nope/records/r001")).Response.StatusCode);
        using var anonymous = _node.Browser();
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync($"/subscriptions/{s.Id}/records/r001")).Response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_subscription_is_not_found_on_every_page()
    {
        using var browser = await SignedInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/subscriptions/nope")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/subscriptions/nope/unfollow")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/subscriptions/nope/export")).Response.StatusCode);
        var (_, page) = await browser.GetAsync("/subscriptions");
        var post = await browser.PostFormAsync("/subscriptions/nope/unfollow", [new("_handler", "unfollow"), new("__RequestVerificationToken", Browser.Token(page))]);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task A_stopped_backfill_shows_its_state_and_reason_and_a_paused_one_why_and_until_when()
    {
        var stopped = _node.AddSubscription("Not a dataset", SubscriptionState.Stopped);
        var at = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        _node.Service<ISubscriptionStore>().Upsert(stopped with
        {
            ChangedAt = at, Reason = "backfill stopped: the outbox answered 410", BackfillError = "the outbox answered 410",
        });
        var paused = _node.AddSubscription("Owner down", SubscriptionState.Accepted);
        // Backing off until tomorrow: the node's backfill worker leaves it alone meanwhile.
        _node.Service<ISubscriptionStore>().Upsert(paused with { BackfillFailures = 3, BackfillRetryAt = DateTimeOffset.UtcNow.AddDays(1), BackfillError = "the outbox answered 503" });
        using var browser = await SignedInAsync();

        var (response, html) = await browser.GetAsync($"/subscriptions/{stopped.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"backfill-stopped\"", html);
        Assert.Contains("Copying this dataset stopped for good", html);
        Assert.Contains("the outbox answered 410", html);
        Assert.Contains(">Stopped<", html);
        Assert.Contains($"href=\"/subscriptions/{stopped.Id}/unfollow\"", html);

        var (_, pausedHtml) = await browser.GetAsync($"/subscriptions/{paused.Id}");
        Assert.Contains("id=\"backfill-state\"", pausedHtml);
        Assert.Contains("paused (the outbox answered 503); next try", pausedHtml);
    }

    [Fact]
    public async Task Verifying_needs_an_accepted_subscription_and_an_origin_that_answers()
    {
        var pending = _node.AddSubscription("Pending one", SubscriptionState.Pending);
        var accepted = _node.AddSubscription("Unreachable one", SubscriptionState.Accepted);
        using var browser = await SignedInAsync();

        var (_, pendingPage) = await browser.GetAsync($"/subscriptions/{pending.Id}");
        Assert.False(Pages.Has(pendingPage, "verify-origin"));
        var refused = await browser.PostFormAsync($"/subscriptions/{pending.Id}", [new("_handler", "verify"), new("__RequestVerificationToken", Browser.Token(pendingPage))]);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Only a followed dataset whose owner accepted", await refused.Content.ReadAsStringAsync());

        var (_, page) = await browser.GetAsync($"/subscriptions/{accepted.Id}");
        var failed = await browser.PostFormAsync($"/subscriptions/{accepted.Id}", [new("_handler", "verify"), new("__RequestVerificationToken", Browser.Token(page))]);
        var html = await failed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("id=\"subscription-error\"", html);
        Assert.Contains("The origin could not be asked", html);

        var forged = await browser.PostFormAsync($"/subscriptions/{accepted.Id}", [new("_handler", "verify")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Unfollowing_asks_first_then_deletes_the_replica_and_tells_the_owner()
    {
        var s = _node.AddSubscription("To leave", SubscriptionState.Accepted);
        _node.AddReplicas(s, 4, i => $$"""{"n":{{i}}}""");
        using var browser = await SignedInAsync(_node.CreateMember());

        var (confirm, html) = await browser.GetAsync($"/subscriptions/{s.Id}/unfollow");
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.True(Pages.Has(html, "confirm-unfollow"));
        Assert.Contains("Its 4 replicated records will be deleted from this node.", html);
        Assert.NotNull(_node.Service<ISubscriptionStore>().Find(s.Id));

        var forged = await browser.PostFormAsync($"/subscriptions/{s.Id}/unfollow", [new("_handler", "unfollow")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(4, _node.Service<IReplicaStore>().Count(s.Id));

        var response = await browser.PostFormAsync($"/subscriptions/{s.Id}/unfollow", [new("_handler", "unfollow"), new("__RequestVerificationToken", Browser.Token(html))]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/subscriptions?unfollowed=deleted", new Uri(_node.Address, response.Headers.Location!).PathAndQuery);
        Assert.Null(_node.Service<ISubscriptionStore>().Find(s.Id));
        Assert.Equal(0, _node.Service<IReplicaStore>().Count(s.Id));
        Assert.Contains(_node.Service<IDeliveryQueue>().List(dead: false, 1000), d => d.Inbox == s.Inbox && d.ActivityType == "Undo");
        var (_, list) = await browser.GetAsync("/subscriptions?unfollowed=deleted");
        Assert.Contains("the copy was deleted from this node", list);
        Assert.DoesNotContain(s.Id, Pages.Rows(list, "subscriptions", "data-subscription").Keys);
    }

    [Fact]
    public async Task When_the_owner_withdraws_access_the_page_says_when_and_how_many_records_were_deleted()
    {
        var s = _node.AddSubscription("Withdrawn data", SubscriptionState.Accepted);
        _node.AddReplicas(s, 6, i => $$"""{"n":{{i}}}""");
        // The owner's Reject of our accepted Follow, as the inbox hands it to the manager.
        var outcome = await _node.Service<SubscriptionManager>().OnRejectAsync(s.DatasetActor, s.FollowActivityId, "https://peer.invalid/rejects/1", CancellationToken.None);
        Assert.Contains("replica deleted", outcome);
        using var browser = await SignedInAsync();

        var (response, html) = await browser.GetAsync($"/subscriptions/{s.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Pages.Has(html, "withdrawn"));
        Assert.Contains("The owner withdrew access on", html);
        Assert.Contains("; 6 records deleted from this node.", html);
        Assert.Contains(">Ended<", html);
        Assert.False(Pages.Has(html, "replica-records"));
        var (_, list) = await browser.GetAsync("/subscriptions");
        Assert.Contains("access withdrawn by the owner", Pages.Rows(list, "subscriptions", "data-subscription")[s.Id]);
    }
}
