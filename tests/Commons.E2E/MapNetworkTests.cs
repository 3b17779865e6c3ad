using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// The map across three real nodes (issue 12): A, B and C turn the map on and describe themselves, their offers and
/// their needs. C matches only over what it was allowed to replicate: B's room fits C's need once B's steward accepts
/// C's follow of B's offers (approval, the kind's default), and stops fitting when B revokes it; A's room, never
/// followed, never fits; the new match is news on C's dashboard until C's member looks at the matches. B's contact
/// details (kept home by default) never leave B, on any path a peer can read.
/// </summary>
public sealed class MapNetworkTests() : TappedNodesTest()
{
    /// <summary>Markers in what B keeps home; none may be read outside B.</summary>
    private const string ContactMarker = "zzcontact";

    private static async Task TurnMapOnAsync(TestNode node)
    {
        using var admin = await node.AdminAsync();
        var answer = await Http.Expect(await admin.PutAsync("/api/admin/modules/map", Http.Json(new JsonObject { ["enabled"] = true })), 200);
        Assert.True((bool)answer["enabled"]!);
    }

    /// <summary>Turns the map on and creates the node's profile and offers datasets with their kinds' defaults; writes the profile.</summary>
    private static async Task<(string Profile, string Offers)> OpenMapAsync(TestNode node, JsonObject profile)
    {
        await TurnMapOnAsync(node);
        var profileSlug = node.Unique("profile-");
        var offersSlug = node.Unique("offers-");
        using var admin = await node.AdminAsync();
        var made = await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
        {
            ["slug"] = profileSlug, ["title"] = new JsonObject { ["en"] = "Who we are" }, ["kind"] = "map.profile",
        })), 201);
        Assert.Equal("public", (string?)made["policy"]);
        var offers = await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
        {
            ["slug"] = offersSlug, ["title"] = new JsonObject { ["en"] = "Offers and needs" }, ["kind"] = "map.offers",
        })), 201);
        Assert.Equal("approval", (string?)offers["policy"]);
        await Http.Expect(await admin.PutAsync("/api/map/profile", Http.Json(new JsonObject { ["data"] = profile })), 200);
        return (profileSlug, offersSlug);
    }

    private static JsonObject Listing(string kind, string category, string title, string description, int persons, string commune) => new()
    {
        ["kind"] = kind, ["category"] = category, ["title"] = title, ["description"] = description, ["language"] = "fr",
        ["capacity"] = new JsonObject { ["amount"] = persons, ["unit"] = "persons" }, ["commune"] = commune,
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "free" }),
    };

    /// <summary>C's matches as its member API lists them.</summary>
    private async Task<List<JsonObject>> MatchesOnCAsync()
    {
        using var admin = await C.AdminAsync();
        var body = await Http.Expect(await admin.GetAsync("/api/map/matches"), 200);
        return body["items"]!.AsArray().Select(m => m!.AsObject()).ToList();
    }

    private static bool Fits(List<JsonObject> matches, string ours, string source) =>
        matches.Any(m => (string?)m["listing"] == ours && (string?)m["matchSource"] == source);

    [Fact]
    public async Task C_matches_B_offer_only_while_B_shares_it_and_B_contact_details_never_leave_B()
    {
        var (_, aOffers) = await OpenMapAsync(A, new JsonObject { ["name"] = "Atelier Zuid", ["legal_form"] = "asbl_vzw", ["commune"] = "21001" });
        var (bProfile, bOffers) = await OpenMapAsync(B, new JsonObject
        {
            ["name"] = "La Ruche Solidaire", ["legal_form"] = "asbl_vzw", ["commune"] = "21009", ["languages"] = new JsonArray("fr", "nl"),
            ["contact_details"] = new JsonObject { ["email"] = $"{ContactMarker}-ruche@example.org" },
            ["telephone"] = $"+32 2 {ContactMarker} 01",
        });
        var (_, cOffers) = await OpenMapAsync(C, new JsonObject { ["name"] = "Collectif du Coin", ["legal_form"] = "de_facto", ["commune"] = "21013" });

        await A.CreateRecordAsync(aOffers, "a-room", Listing("offer", "place", "Salle de réunion à prêter", "Salle de réunion pour 40 personnes, projecteur.", 40, "21001"));
        var bRoom = Listing("offer", "place", "Salle de réunion lumineuse", "Salle de réunion de 30 places avec wifi et tableau, en soirée.", 30, "21009");
        bRoom["contact"] = new JsonObject { ["name"] = "Ana", ["email"] = $"{ContactMarker}-ana@example.org" };
        await B.CreateRecordAsync(bOffers, "b-room", bRoom);
        await B.CreateRecordAsync(bOffers, "b-van", Listing("offer", "logistics", "Camionnette le samedi", "Une camionnette de 9 m3 pour vos déménagements.", 3, "21009"));
        await C.CreateRecordAsync(cOffers, "c-need-room", Listing("need", "place", "Cherche salle de réunion", "Nous cherchons une salle de réunion pour 20 personnes le soir.", 20, "21013"));
        var bRoomSource = $"{B.DatasetActor(bOffers)}/records/b-room";
        var aRoomSource = $"{A.DatasetActor(aOffers)}/records/a-room";

        // C follows B's profile (public: accepted at once) and B's offers (approval: pending until B's steward answers).
        var profileSub = (string)(await C.FollowAsync(B.Handle(bProfile)))["id"]!;
        var offersSub = (string)(await C.FollowAsync(B.Handle(bOffers)))["id"]!;
        await Wait.ForAsync(() => C.SubscriptionStateAsync(profileSub), s => s == "accepted", "C's follow of B's profile to be accepted");
        await Wait.ForAsync(() => B.FollowersAsync(bOffers, "pending"), f => f.ContainsKey(C.NodeActor), "C's request for B's offers to reach B");
        Assert.Equal("pending", await C.SubscriptionStateAsync(offersSub));
        var profileReplica = await Wait.ForAsync(() => C.ReplicaAsync(profileSub), r => r.Count == 1, "B's profile to reach C");

        var before = await MatchesOnCAsync();
        Assert.False(Fits(before, "c-need-room", bRoomSource), "B's room fits before B accepted C: " + string.Join(", ", before.Select(m => m.ToJsonString())));
        Assert.DoesNotContain(before, m => (string?)m["matchOrganisation"] == B.Authority || (string?)m["matchOrganisation"] == A.Authority);

        await Http.Expect(await B.StewardAsync(bOffers, "accept", C.NodeActor), 200);
        await Wait.ForAsync(() => C.SubscriptionStateAsync(offersSub), s => s == "accepted", "C's follow of B's offers to be accepted");
        var offersReplica = await Wait.ForAsync(() => C.ReplicaAsync(offersSub), r => r.Count == 2, "B's offers to reach C");
        var matched = await Wait.ForAsync(MatchesOnCAsync, m => Fits(m, "c-need-room", bRoomSource), "C to match B's room to its need");
        var fit = matched.Single(m => (string?)m["listing"] == "c-need-room" && (string?)m["matchSource"] == bRoomSource);
        Assert.Equal(("b-room", B.Authority, "need"), ((string?)fit["matchId"], (string?)fit["matchOrganisation"], (string?)fit["kind"]));
        Assert.NotEmpty(fit["reasons"]!.AsArray());
        // The van is another category; A's room was never shared with C.
        Assert.DoesNotContain(matched, m => (string?)m["matchId"] == "b-van" || (string?)m["matchSource"] == aRoomSource);

        // C's dashboard says so, in C's member's language, with a link to the replicated offer; once C's member has
        // looked at the matches page it is no longer news.
        using (var browser = await BrowserSession.SignInAsync(C, "fr"))
        {
            var replicaPage = $"/subscriptions/{offersSub}/records/b-room";
            var news = await Wait.ForAsync(async () => News(await browser.PageAsync("/")), html => html.Contains($"href=\"{replicaPage}\"", StringComparison.Ordinal),
                "C's dashboard to show the new match");
            Assert.Contains($"Une offre de {B.Authority} répond à notre besoin «\u00a0Cherche salle de réunion\u00a0»\u00a0: Salle de réunion lumineuse",
                System.Net.WebUtility.HtmlDecode(news));
            Assert.Contains("Salle de réunion lumineuse", await browser.PageAsync(replicaPage));
            Assert.Contains("Salle de réunion lumineuse", await browser.PageAsync("/map/matches"));
            Assert.DoesNotContain($"href=\"{replicaPage}\"", News(await browser.PageAsync("/")));
        }

        // What C holds of B: the shared fields, never the contact details.
        var profileData = profileReplica.Values.Single()["data"]!.AsObject();
        Assert.Equal("La Ruche Solidaire", (string?)profileData["name"]);
        Assert.False(profileData.ContainsKey("contact_details") || profileData.ContainsKey("telephone"), profileData.ToJsonString());
        var roomData = offersReplica["b-room"]["data"]!.AsObject();
        Assert.Equal("Salle de réunion lumineuse", (string?)roomData["title"]);
        Assert.False(roomData.ContainsKey("contact"), roomData.ToJsonString());
        foreach (var sub in new[] { profileSub, offersSub })
            Assert.DoesNotContain(ContactMarker, (await C.ExportAsync(sub)).ToJsonString(), StringComparison.Ordinal);

        await AssertContactStaysOnBAsync(bProfile, bOffers);

        // B's steward revokes C: C's replica of the offers goes, and the match with it.
        await Http.Expect(await B.StewardAsync(bOffers, "remove", C.NodeActor), 204);
        await Wait.ForAsync(() => C.SubscriptionStateAsync(offersSub), s => s == "ended", "C's follow of B's offers to end");
        Assert.Empty(await C.ReplicaAsync(offersSub));
        var after = await Wait.ForAsync(MatchesOnCAsync, m => !Fits(m, "c-need-room", bRoomSource), "C to lose the match with B's room");
        Assert.DoesNotContain(after, m => (string?)m["matchOrganisation"] == B.Authority);
        // The profile, public, is still followed; its contact details still stayed on B.
        Assert.Equal("accepted", await C.SubscriptionStateAsync(profileSub));
        await AssertContactStaysOnBAsync(bProfile, bOffers);
    }

    /// <summary>The dashboard's section of the modules' news, or nothing when it has none.</summary>
    private static string News(string dashboard)
    {
        var start = dashboard.IndexOf("<section id=\"module-news\"", StringComparison.Ordinal);
        return start < 0 ? "" : dashboard[start..dashboard.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    /// <summary>
    /// Nothing B kept home is on the wire to C (inbox deliveries, answers to C's signed fetches: backfill pages, actors,
    /// digests) nor on what anyone may read of B: the datasets' actor documents, the profile's outbox and its pages.
    /// </summary>
    private async Task AssertContactStaysOnBAsync(string bProfile, string bOffers)
    {
        var toC = Tap.ReceivedBy(C);
        Assert.Contains(toC, m => m.Text().Contains("Salle de réunion lumineuse", StringComparison.Ordinal));
        Assert.Contains(toC, m => m.Text().Contains("La Ruche Solidaire", StringComparison.Ordinal));
        foreach (var message in toC)
        {
            var text = message.Text();
            Assert.False(text.Contains(ContactMarker, StringComparison.Ordinal), $"B's contact details reached C in {message.Method} {message.Uri}: {text[..Math.Min(text.Length, 2000)]}");
        }

        using var anonymous = B.Anonymous();
        anonymous.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        var outbox = await Http.Expect(await anonymous.GetAsync($"/datasets/{bProfile}/outbox"), 200);
        var firstPage = (string)outbox["first"]!;
        var read = new List<string> { (await anonymous.GetStringAsync(firstPage)) };
        foreach (var path in new[] { $"/datasets/{bProfile}", $"/datasets/{bOffers}", $"/datasets/{bProfile}/outbox", $"/datasets/{bProfile}/records/profile" })
            read.Add(await (await anonymous.GetAsync(path)).Content.ReadAsStringAsync());
        Assert.Contains(read, t => t.Contains("La Ruche Solidaire", StringComparison.Ordinal));
        Assert.All(read, t => Assert.DoesNotContain(ContactMarker, t, StringComparison.Ordinal));
    }
}
