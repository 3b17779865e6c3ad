using System.Net;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Following;
using Commons.Federation.Replication;

namespace Commons.Web.Tests;

/// <summary>
/// Two real nodes on 127.0.0.1, both driven only through their pages: one follows the other's dataset by handle, the
/// owner's steward accepts the request, the replica arrives signed and verifiable, then the steward removes the follower
/// and both sides show the purge.
/// </summary>
public sealed class SubscriptionFlowTests
{
    /// <summary>Opens <paramref name="page"/>, posts its form <paramref name="handler"/> to the page's path as a browser would, expects a redirect; returns where to.</summary>
    private static async Task<string> PostFormAsync(Browser browser, string page, string handler, params (string Name, string Value)[] fields)
    {
        var (_, html) = await browser.GetAsync(page);
        var form = new List<KeyValuePair<string, string>> { new("_handler", handler), new("__RequestVerificationToken", Browser.Token(html)) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        var response = await browser.PostFormAsync(page.Split('?')[0], form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page} ({handler}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    [Fact]
    public async Task Following_a_dataset_of_this_node_or_an_unknown_handle_is_explained()
    {
        await using var node = new PeerNode();
        var slug = node.CreateDataset(SharingPolicy.Public, "Our own");
        using var browser = await node.AdminBrowserAsync();
        foreach (var (target, message) in new[]
        {
            ($"{node.Url}/datasets/{slug}", "That dataset is on this node: there is nothing to follow."),
            ($"nobody-here@{node.Address.Authority}", "No dataset answers to this handle."),
        })
        {
            var (_, page) = await browser.GetAsync("/subscriptions");
            var response = await browser.PostFormAsync("/subscriptions",
                [new("_handler", "follow"), new("__RequestVerificationToken", Browser.Token(page)), new("FollowForm.Target", target)]);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = html[html.IndexOf("id=\"follow-target-error\"", StringComparison.Ordinal)..];
            Assert.True(error.Contains(message, StringComparison.Ordinal), $"{target}: {error[..Math.Min(400, error.Length)]}");
        }
        Assert.Empty(node.Service<ISubscriptionStore>().List());
    }

    [Fact]
    public async Task Following_an_actor_that_is_not_a_dataset_is_explained_with_its_reason()
    {
        await using var owner = new PeerNode();
        await using var follower = new PeerNode();
        using var browser = await follower.AdminBrowserAsync();
        var (_, page) = await browser.GetAsync("/subscriptions");

        // Another node's own actor: a real ActivityPub actor, but no dataset to copy.
        var response = await browser.PostFormAsync("/subscriptions",
            [new("_handler", "follow"), new("__RequestVerificationToken", Browser.Token(page)), new("FollowForm.Target", owner.NodeActor)]);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = html[html.IndexOf("id=\"follow-target-error\"", StringComparison.Ordinal)..];
        Assert.Contains("This account is not a Commons dataset: only datasets can be followed.", error, StringComparison.Ordinal);
        Assert.Empty(follower.Service<ISubscriptionStore>().List());
    }

    [Fact]
    public async Task Follow_by_handle_accept_replicate_verify_export_then_remove_and_see_the_purge_on_both_sides()
    {
        await using var owner = new PeerNode();
        await using var follower = new PeerNode();
        var slug = owner.CreateDataset(SharingPolicy.Approval, "Shared tools");
        owner.AddRecords(slug, 3, i => $$"""{"tool":"Drill {{i}}"}""");
        using var ownerBrowser = await owner.AdminBrowserAsync();
        using var followerBrowser = await follower.AdminBrowserAsync();

        // The follower's member follows by handle.
        var followed = await PostFormAsync(followerBrowser, "/subscriptions", "follow", ("FollowForm.Target", owner.Handle(slug)));
        var subscription = Assert.Single(follower.Service<ISubscriptionStore>().List());
        Assert.Equal($"/subscriptions?followed={subscription.Id}", followed);
        Assert.Equal(SubscriptionState.Pending, subscription.State);
        var (_, list) = await followerBrowser.GetAsync(followed);
        Assert.Contains("Follow request sent", list);
        Assert.Contains(">Waiting for approval<", Pages.Rows(list, "subscriptions", "data-subscription")[subscription.Id]);

        // Following again is "already following", next to the field.
        var (_, again) = await followerBrowser.GetAsync("/subscriptions");
        var repeat = await followerBrowser.PostFormAsync("/subscriptions",
            [new("_handler", "follow"), new("__RequestVerificationToken", Browser.Token(again)), new("FollowForm.Target", owner.Handle(slug))]);
        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Contains("You already follow", await repeat.Content.ReadAsStringAsync());
        // Another node's page that is no actor: explained next to the field too.
        var (_, third) = await followerBrowser.GetAsync("/subscriptions");
        var notActor = await followerBrowser.PostFormAsync("/subscriptions",
            [new("_handler", "follow"), new("__RequestVerificationToken", Browser.Token(third)), new("FollowForm.Target", $"{owner.Url}/no-such-actor")]);
        Assert.Equal(HttpStatusCode.BadRequest, notActor.StatusCode);
        Assert.Contains("This address does not answer as a dataset.", await notActor.Content.ReadAsStringAsync());

        // The owner's steward sees the request and accepts it.
        var sharing = $"/datasets/{slug}/sharing";
        await Eventually.ForAsync(async () => (await ownerBrowser.GetAsync(sharing)).Html,
            html => Pages.Rows(html, "pending-requests", "data-actor").ContainsKey(follower.NodeActor), "the follow request on the owner's sharing page");
        await PostFormAsync(ownerBrowser, sharing, "answer", ("AnswerForm.Accept", follower.NodeActor));
        var (_, accepted) = await ownerBrowser.GetAsync(sharing);
        Assert.Contains(">admin<", Pages.Rows(accepted, "followers", "data-actor")[follower.NodeActor]); // approved by

        // The replica arrives, every record signed by the owner's dataset and verified.
        var replicas = follower.Service<IReplicaStore>();
        await Eventually.ForAsync(() => Task.FromResult(replicas.Count(subscription.Id)), n => n == 3, "the backfill of 3 records");
        var detail = $"/subscriptions/{subscription.Id}";
        var (_, page) = await followerBrowser.GetAsync(detail);
        var rows = Pages.Rows(page, "replica-records", "data-record");
        Assert.Equal(3, rows.Count);
        Assert.Contains($"a dataset on the other node {owner.Address.Authority}.", page);
        Assert.All(rows.Values, row => Assert.DoesNotContain("badge", row));
        Assert.Contains("Shared tools", page);
        Assert.Contains("<dd id=\"origin-licence\">CC-BY-4.0</dd>", page);

        // Verify against the origin: equal.
        var checkedUrl = await PostFormAsync(followerBrowser, detail, "verify");
        Assert.StartsWith($"{detail}?check=equal", checkedUrl);
        var (_, verified) = await followerBrowser.GetAsync(checkedUrl);
        Assert.Contains("The copy here matches the origin: 3 records", verified);

        // The export downloads and checks offline.
        var export = await followerBrowser.Client.GetAsync($"{detail}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        using (var doc = JsonDocument.Parse(await export.Content.ReadAsStringAsync()))
        {
            var check = ReplicaExport.Check(doc.RootElement);
            Assert.True(check.Ok, string.Join("; ", check.Problems));
            Assert.Equal(3, check.Verified);
        }

        // The follower's dashboard lists what came in.
        var (_, dashboard) = await followerBrowser.GetAsync("/");
        Assert.Contains(subscription.Id, Pages.Rows(dashboard, "recent-changes", "data-subscription").Keys);

        // The steward removes the follower, after confirming.
        var removeUrl = $"{sharing}/remove?actor={Uri.EscapeDataString(follower.NodeActor)}";
        var (_, confirm) = await ownerBrowser.GetAsync(removeUrl);
        Assert.True(Pages.Has(confirm, "confirm-remove"));
        await PostFormAsync(ownerBrowser, removeUrl, "remove", ("RemoveForm.Actor", follower.NodeActor));

        // The follower deletes its replica and says so; the owner's page shows the confirmation.
        var ended = await Eventually.ForAsync(() => Task.FromResult(follower.Service<ISubscriptionStore>().Find(subscription.Id)!),
            s => s.State == SubscriptionState.Ended, "the follower to end the subscription");
        Assert.Equal(3, ended.PurgedRecords);
        Assert.Equal(0, replicas.Count(subscription.Id));
        var (_, withdrawn) = await followerBrowser.GetAsync(detail);
        Assert.Contains("The owner withdrew access on", withdrawn);
        Assert.Contains("; 3 records deleted from this node.", withdrawn);
        var purged = await Eventually.ForAsync(async () => (await ownerBrowser.GetAsync(sharing)).Html,
            html => Pages.Rows(html, "revocations", "data-actor").GetValueOrDefault(follower.NodeActor)?.Contains("purged by") == true, "the purge confirmation on the owner's page");
        Assert.Contains($"purged by {follower.Address.Authority} at", Pages.Rows(purged, "revocations", "data-actor")[follower.NodeActor]);
    }

    [Fact]
    public async Task A_subscription_kept_before_the_origins_display_was_is_shown_with_what_its_actor_says_now()
    {
        await using var owner = new PeerNode();
        await using var follower = new PeerNode();
        const string schema = """{"type":"object","properties":{"code":{"type":"string"},"nom":{"type":"string"},"note":{"type":"string"},"commune":{"type":"string","title":"Municipality"}}}""";
        owner.Service<Commons.Core.Services.DatasetService>().Create(UiNode.Admin, new DatasetDraft
        {
            Slug = "lieux", Title = new LocalizedText(null, null, "Places"), Description = new LocalizedText(null, null, "Rooms <for> associations"),
            Schema = schema, Policy = SharingPolicy.Public, TitleField = "nom", Columns = ["commune"],
        });
        owner.AddRecords("lieux", 1, _ => """{"code":"L0","nom":"Salle Aurore","note":"calme","commune":"Anderlecht"}""");
        var subscription = await follower.Service<SubscriptionService>().FollowAsync(UiNode.Admin, owner.Handle("lieux"), CancellationToken.None);
        await Eventually.ForAsync(() => Task.FromResult(follower.Service<IReplicaStore>().Count(subscription.Id)), n => n == 1, "the backfill of 1 record");
        var store = follower.Service<ISubscriptionStore>();
        store.Upsert(store.Find(subscription.Id)! with { Schema = null, TitleField = null, Columns = [], DescriptionMap = null, Description = null });
        using var browser = await follower.AdminBrowserAsync();

        var (_, page) = await browser.GetAsync($"/subscriptions/{subscription.Id}");

        var row = Assert.Single(Pages.Rows(page, "replica-records", "data-record")).Value;
        Assert.Contains(">Salle Aurore</a>", row);
        Assert.Contains("data-label=\"Municipality\" data-field=\"commune\">Anderlecht</td>", row);
        Assert.DoesNotContain("calme", row);
        Assert.Contains("<p>Rooms &lt;for&gt; associations</p>", page);
    }
}
