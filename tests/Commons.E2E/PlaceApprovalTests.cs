using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// The shared place across two real nodes, through the place's own API on each side: A offers a room that needs a
/// steward's approval; B follows A's resources; a member of B books it from B (pending on both nodes), A's steward
/// approves (accepted on B), B's member cancels, and A's published free slots show the time free again.
/// </summary>
public sealed class PlaceApprovalTests() : NodesTest(2)
{
    private const string Room = "studio-1";
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private readonly DateTime _day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).Date.AddDays(8);

    private DateTimeOffset At(int hour)
    {
        var local = _day.AddHours(hour);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local));
    }

    private static string Text(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task SwitchPlaceOnAsync(TestNode node)
    {
        using var admin = await node.AdminAsync();
        await Http.Expect(await admin.PutAsync("/api/admin/modules/place", Http.Json(new JsonObject { ["enabled"] = true })), 200);
    }

    /// <summary>A's place with a room booked on a steward's approval, followed by B; returns A's bookings dataset and B's subscription.</summary>
    private async Task<(string Bookings, string Subscription)> OpenPlaceAsync()
    {
        await SwitchPlaceOnAsync(A);
        await SwitchPlaceOnAsync(B);
        var resources = A.Unique("rooms-");
        var bookings = A.Unique("bookings-");
        using (var admin = await A.AdminAsync())
        {
            foreach (var (slug, kind) in new[] { (resources, "place.resources"), (bookings, "place.bookings") })
                await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
                {
                    ["slug"] = slug, ["title"] = new JsonObject { ["en"] = slug }, ["kind"] = kind,
                })), 201);
        }
        await A.CreateRecordAsync(resources, Room, JsonNode.Parse("""
            {"name":{"en":"Studio","fr":"Studio"},"category":"room","approval":"steward",
             "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
            """)!.AsObject());
        var subscription = (string)(await B.FollowAsync(A.Handle(resources)))["id"]!;
        await Wait.ForAsync(() => B.SubscriptionStateAsync(subscription), s => s == "accepted", "B's follow to be accepted");
        await Wait.ForAsync(() => B.ReplicaAsync(subscription), r => r.ContainsKey(Room), "the studio to reach B's copy");
        return (bookings, subscription);
    }

    private static async Task<HttpClient> MemberAsync(TestNode node)
    {
        var username = node.Unique("member");
        node.Service<MemberService>().Register(username, null, "member-password-for-e2e", MemberRole.Member);
        using var anonymous = node.Anonymous();
        var login = await Http.Expect(await anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = "member-password-for-e2e" }), 200);
        var client = node.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)login["accessToken"]!);
        return client;
    }

    private async Task<JsonObject?> BookingOnAAsync(string bookings)
    {
        using var admin = await A.AdminAsync();
        var page = await Http.Expect(await admin.GetAsync($"/api/datasets/{bookings}/records?limit=10"), 200);
        return page["items"]!.AsArray().Select(i => i!.AsObject()).SingleOrDefault();
    }

    private static async Task<JsonObject> MineOnBAsync(HttpClient member) =>
        (await Http.Expect(await member.GetAsync("/api/place/elsewhere/bookings"), 200))["items"]!.AsArray().Single()!.AsObject();

    private async Task<bool> FreeOnAAsync(HttpClient member, string subscription)
    {
        var slots = await member.GetFromJsonAsync<JsonArray>($"/api/place/elsewhere/{subscription}/slots?resource={Room}&from={Uri.EscapeDataString(Text(At(0)))}&to={Uri.EscapeDataString(Text(At(24)))}");
        return slots!.Single()!["free"]!.AsArray().Any(f => DateTimeOffset.Parse((string)f!["start"]!, CultureInfo.InvariantCulture) <= At(10)
            && DateTimeOffset.Parse((string)f["end"]!, CultureInfo.InvariantCulture) >= At(11));
    }

    [Fact]
    public async Task B_books_As_approval_room_pending_on_both_A_approves_B_sees_it_accepted_B_cancels_and_the_slot_is_free_again()
    {
        var (bookings, subscription) = await OpenPlaceAsync();
        using var member = await MemberAsync(B);
        var place = (await member.GetFromJsonAsync<JsonArray>("/api/place/elsewhere"))!.Single(p => (string?)p!["subscription"] == subscription)!;
        Assert.Contains(place["resources"]!.AsArray(), r => (string?)r!["id"] == Room);
        Assert.True(await FreeOnAAsync(member, subscription));

        var sent = await Http.Expect(await member.PostAsync("/api/place/elsewhere/bookings", Http.Json(new JsonObject
        {
            ["place"] = subscription, ["resource"] = Room, ["start"] = Text(At(10)), ["end"] = Text(At(11)), ["purpose"] = "choir",
        })), 202);
        var reference = (string)sent["exchange"]!;

        // Pending on both sides: A holds the time for a steward's decision, B shows it waiting.
        var held = await Wait.ForAsync(() => BookingOnAAsync(bookings), b => (string?)b?["data"]?["state"] == "pending", "A to hold the booking pending");
        Assert.Equal(B.NodeActor, (string?)held!["data"]!["bookedBy"]);
        var pending = await MineOnBAsync(member);
        Assert.Equal((reference, "pending"), ((string?)pending["reference"], (string?)pending["state"]));
        Assert.False(await FreeOnAAsync(member, subscription));

        using (var admin = await A.AdminAsync())
        {
            var waiting = await admin.GetFromJsonAsync<JsonArray>("/api/place/approvals");
            Assert.Equal((string?)held["id"], (string?)Assert.Single(waiting!)!["id"]);
            var approved = await Http.Expect(await admin.PostAsync($"/api/place/bookings/{(string)held["id"]!}/approve", null), 200);
            Assert.Equal("confirmed", (string?)approved["state"]);
        }
        await Wait.ForAsync(async () => await Http.Expect(await member.GetAsync($"/api/exchanges/{reference}"), 200),
            e => (string?)e["state"] == "accepted", "B to receive A's acceptance");
        var confirmed = await MineOnBAsync(member);
        Assert.Equal(("confirmed", (string?)held["id"]), ((string?)confirmed["state"], (string?)confirmed["booking"]));

        await Http.Expect(await member.PostAsync($"/api/place/elsewhere/bookings/{reference}/cancel", null), 202);
        await Wait.ForAsync(() => BookingOnAAsync(bookings), b => (string?)b?["data"]?["state"] == "cancelled", "A to cancel the booking");
        await Wait.UntilAsync(() => FreeOnAAsync(member, subscription), "the slot to be free again in A's slots");
        Assert.Equal("cancelled", (string?)(await MineOnBAsync(member))["state"]);
    }
}
