using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.E2E.Support;
using Commons.Federation.Http;
using Commons.Federation.Replication;

namespace Commons.E2E;

/// <summary>
/// What a dataset publishes about itself, on real nodes: a settings change reaches followers as a signed Update of the
/// actor; every activity it sends carries a proof; its change activities resolve for those allowed to see them; its
/// following collection and outbox count show nothing the policy hides.
/// </summary>
public sealed class ActorUpdateTests() : TappedNodesTest()
{
    [Fact]
    public async Task A_title_change_reaches_the_follower_as_a_signed_actor_update_and_everything_the_dataset_sent_carries_a_proof()
    {
        var slug = await A.CreateDatasetAsync("public");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B's subscription to be accepted");
        Assert.Equal($"Dataset {slug}", (string?)(await B.SubscriptionAsync(sub))["name"]);

        using (var admin = await A.AdminAsync())
        {
            var title = new JsonObject { ["title"] = new JsonObject { ["en"] = "Tools to lend", ["fr"] = "Outils à prêter" } };
            await Http.Expect(await admin.PatchAsync($"/api/datasets/{slug}", Http.Json(title)), 200);
        }
        // B holds A's actor in its cache for an hour: only the Update can bring the new title this soon.
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (string?)s["name"] == "Tools to lend", "the new title to reach B's subscription");
        var cached = await B.Service<RemoteActorFetcher>().FetchAsync(new Uri(A.DatasetActor(slug)));
        Assert.Equal("Outils à prêter", cached.Document.GetProperty("nameMap").GetProperty("fr").GetString());

        var sent = Tap.ReceivedBy(B).Where(m => m.Method == "POST").Select(m => JsonNode.Parse(m.Text())!.AsObject())
            .Where(a => (string?)a["actor"] == A.DatasetActor(slug)).ToList();
        Assert.Contains(sent, a => (string?)a["type"] == "Accept");
        Assert.Contains(sent, a => (string?)a["type"] == "Update" && (string?)a["object"]!["id"] == A.DatasetActor(slug));
        var verifier = B.Service<ProofVerifier>();
        foreach (var activity in sent)
        {
            var result = await verifier.VerifyAsync(activity, A.DatasetActor(slug), CancellationToken.None);
            Assert.True(result.IsValid, $"{activity["type"]}: {result.Failure} {result.Detail}");
        }
    }

    [Fact]
    public async Task A_policy_change_reaches_the_follower_which_keeps_following_and_shows_the_new_policy_in_the_api_and_on_its_page()
    {
        var slug = await A.CreateDatasetAsync("approval");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        Assert.Equal("approval", (string?)(await B.SubscriptionAsync(sub))["policy"]); // as the actor said when B followed
        await Wait.ForAsync(() => A.FollowersAsync(slug, "pending"), f => f.ContainsKey(B.NodeActor), "B's request to reach A");
        await Http.Expect(await A.StewardAsync(slug, "accept", B.NodeActor), 200);
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B's subscription to be accepted");

        // B holds A's actor in its cache for an hour: only the Update can bring the new policy this soon.
        await A.SetPolicyAsync(slug, "public");
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (string?)s["policy"] == "public", "the public policy to reach B");
        // Back to approval: B was approved by a steward, so it keeps following (only followers the policy alone accepted are revoked).
        await A.SetPolicyAsync(slug, "approval");
        await Wait.ForAsync(() => B.SubscriptionAsync(sub), s => (string?)s["policy"] == "approval", "the approval policy to reach B");
        Assert.Equal("accepted", await B.SubscriptionStateAsync(sub));
        Assert.Contains(B.NodeActor, (await A.FollowersAsync(slug, "accepted")).Keys);
        Assert.Empty(await A.RevocationsAsync(slug));

        var page = await PageAsync(B, $"/subscriptions/{sub}");
        Assert.Contains("id=\"origin-policy\">On approval</dd>", page);
    }

    [Fact]
    public async Task Change_activities_following_and_the_outbox_count_of_an_approval_dataset_show_only_what_an_accepted_follower_may_see()
    {
        var slug = await A.CreateDatasetAsync("approval");
        var sub = (string)(await B.FollowAsync(A.Handle(slug)))["id"]!;
        await Wait.ForAsync(() => A.FollowersAsync(slug, "pending"), f => f.ContainsKey(B.NodeActor), "B's request to reach A");
        await Http.Expect(await A.StewardAsync(slug, "accept", B.NodeActor), 200);
        await Wait.ForAsync(() => B.SubscriptionStateAsync(sub), s => s == "accepted", "B's subscription to be accepted");

        await A.CreateRecordAsync(slug, "shown", new JsonObject { ["name"] = "Ladder" });
        await A.CreateRecordAsync(slug, "draft", new JsonObject { ["name"] = "zzsecret" }, shared: false);
        await A.UpdateRecordAsync(slug, "draft", new JsonObject { ["name"] = "zzsecret again" });
        var dataset = A.Service<IDatasetStore>().Find(slug)!;
        var changes = A.Service<IChangeFeed>().Since(dataset.Key, 0, 100);
        var shown = changes.Single(c => c.RecordId == "shown").Seq;
        var draft = changes.Where(c => c.RecordId == "draft").Select(c => c.Seq).ToList();
        Assert.Equal(2, draft.Count);

        string Url(string path) => $"{A.DatasetActor(slug)}/{path}";
        var paths = new[] { "following", "outbox", $"changes/{shown}" };
        // Neither an anonymous GET nor one signed by a node that does not follow learns anything.
        using var anonymous = A.Anonymous();
        foreach (var path in paths)
            Assert.Equal(404, (int)(await anonymous.GetAsync(Url(path))).StatusCode);
        foreach (var path in paths)
            Assert.Equal(404, (int)(await SignedGetAsync(C, Url(path))).StatusCode);

        var (status, following) = await SignedJsonAsync(B, Url("following"));
        Assert.Equal(200, status);
        Assert.Equal(0, (int)following!["totalItems"]!);
        // The outbox counts the one shared record, not the feed's three changes.
        var (outboxStatus, outbox) = await SignedJsonAsync(B, Url("outbox"));
        Assert.Equal(200, outboxStatus);
        Assert.Equal(1, (int)outbox!["totalItems"]!);

        var (changeStatus, activity) = await SignedJsonAsync(B, Url($"changes/{shown}"));
        Assert.Equal(200, changeStatus);
        Assert.Equal(Url($"changes/{shown}"), (string?)activity!["id"]);
        Assert.Equal("Create", (string?)activity["type"]);
        Assert.Equal("Ladder", (string?)activity["object"]!["commons:data"]!["name"]);
        Assert.True((await B.Service<ProofVerifier>().VerifyAsync(activity, A.DatasetActor(slug), CancellationToken.None)).IsValid);
        // Changes of a record that is not shared, and changes that do not exist, are 404 even for a follower.
        foreach (var seq in draft.Append(changes[^1].Seq + 1))
            Assert.Equal(404, (int)(await SignedGetAsync(B, Url($"changes/{seq}"))).StatusCode);
        Assert.Equal(404, (int)(await SignedGetAsync(B, Url("changes/0"))).StatusCode);
        Assert.Equal(404, (int)(await SignedGetAsync(B, Url("changes/abc"))).StatusCode);
        Assert.DoesNotContain(Tap.ReceivedBy(B), m => m.Text().Contains("zzsecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_public_datasets_change_activity_resolves_for_anyone_and_a_settings_change_resolves_to_the_actor_update()
    {
        var slug = await A.CreateDatasetAsync("public");
        await A.CreateRecordAsync(slug, "r1", new JsonObject { ["name"] = "Drill" });
        using (var admin = await A.AdminAsync())
            await Http.Expect(await admin.PatchAsync($"/api/datasets/{slug}", Http.Json(new JsonObject { ["license"] = "CC0-1.0" })), 200);
        var dataset = A.Service<IDatasetStore>().Find(slug)!;
        var changes = A.Service<IChangeFeed>().Since(dataset.Key, 0, 100);

        using var anonymous = A.Anonymous();
        var record = JsonNode.Parse(await anonymous.GetStringAsync($"/datasets/{slug}/changes/{changes.Single(c => c.RecordId == "r1").Seq}"))!;
        Assert.Equal("Create", (string?)record["type"]);
        var settings = JsonNode.Parse(await anonymous.GetStringAsync($"/datasets/{slug}/changes/{changes[^1].Seq}"))!;
        Assert.Equal("Update", (string?)settings["type"]);
        Assert.Equal(A.DatasetActor(slug), (string?)settings["object"]!["id"]);
        Assert.Equal("CC0-1.0", (string?)settings["object"]!["commons:license"]);
        Assert.NotNull(settings["proof"]);
    }

    /// <summary>A page of <paramref name="node"/> as its administrator sees it in English, signed in through the sign-in form.</summary>
    private static async Task<string> PageAsync(TestNode node, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(node.Url), Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var form = await client.GetStringAsync("/signin");
        var token = WebUtility.HtmlDecode(Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        using var signedIn = await client.PostAsync("/signin", new FormUrlEncodedContent(
        [
            new("_handler", "signin"), new("__RequestVerificationToken", token),
            new("Form.Username", "admin"), new("Form.Password", TestNode.AdminPassword),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<FederationResponse> SignedGetAsync(TestNode signer, string url) =>
        signer.Service<SignedHttpClient>().GetAsync(new Uri(url), signer.Service<SigningIdentity>());

    private static async Task<(int Status, JsonObject? Body)> SignedJsonAsync(TestNode signer, string url)
    {
        var response = await SignedGetAsync(signer, url);
        var status = (int)response.StatusCode;
        return (status, status == 200 ? JsonNode.Parse(Encoding.UTF8.GetString(response.Body))!.AsObject() : null);
    }
}
