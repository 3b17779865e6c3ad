using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>
/// The shared place across real nodes (spec §11, docs/modules.md §7): A's administrator turns the place on and offers a
/// room in a public resources dataset; B's node follows it; a member of B books the room through <c>POST /api/exchanges</c>
/// and A's place decides under the rules that hold for its own members. C follows nothing and is refused.
/// </summary>
public sealed class PlaceExchangeTests() : NodesTest(3)
{
    private const string Room = "room-1";
    private const string MemberPassword = "member-password-for-e2e";
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    /// <summary>The Brussels day every booking of a test falls on: 8 days ahead (past any notice), fixed once so a test run across midnight stays on one day.</summary>
    private readonly DateTime _day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).Date.AddDays(8);

    /// <summary>A Brussels wall-clock time on the test's day, as ISO 8601 with the offset of that day.</summary>
    private string At(int hour, int minute = 0)
    {
        var local = new DateTime(_day.Year, _day.Month, _day.Day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static JsonObject Book(string start, string end) => new() { ["resource"] = Room, ["start"] = start, ["end"] = end, ["purpose"] = "repair café" };

    /// <summary>Turns the place on at A, creates its resources (a room open 08:00–22:00, at most 3 h) and bookings datasets; B follows the resources.</summary>
    private async Task<(string Resources, string Bookings)> OpenPlaceAsync()
    {
        await SwitchPlaceAsync(A, on: true);
        var resources = A.Unique("rooms-");
        var bookings = A.Unique("bookings-");
        using (var admin = await A.AdminAsync())
        {
            var created = await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = resources, ["title"] = new JsonObject { ["en"] = "Rooms" }, ["kind"] = "place.resources",
            })), 201);
            Assert.Equal("public", (string?)created["policy"]);
            await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = bookings, ["title"] = new JsonObject { ["en"] = "Bookings" }, ["kind"] = "place.bookings",
            })), 201);
        }
        await A.CreateRecordAsync(resources, Room, JsonNode.Parse("""
            {"name":{"en":"Big room","fr":"Grande salle"},"category":"room","maximumAttendeeCapacity":30,"maxLengthMinutes":180,
             "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
            """)!.AsObject());

        await FollowAsync(B, resources);
        return (resources, bookings);
    }

    /// <summary><paramref name="follower"/>'s node follows A's resources; returns its accepted subscription's id.</summary>
    private async Task<string> FollowAsync(TestNode follower, string resources)
    {
        var subscription = (string)(await follower.FollowAsync(A.Handle(resources)))["id"]!;
        await Wait.ForAsync(() => follower.SubscriptionStateAsync(subscription), s => s == "accepted", "the subscription to be accepted");
        return subscription;
    }

    private static async Task SwitchPlaceAsync(TestNode node, bool on)
    {
        using var admin = await node.AdminAsync();
        var answer = await Http.Expect(await admin.PutAsync("/api/admin/modules/place", Http.Json(new JsonObject { ["enabled"] = on })), 200);
        Assert.Equal(on, (bool)answer["enabled"]!);
    }

    /// <summary>A client signed in as a plain member of <paramref name="node"/>, registered for the test.</summary>
    private static async Task<HttpClient> MemberAsync(TestNode node)
    {
        var username = node.Unique("member");
        node.Service<MemberService>().Register(username, null, MemberPassword, MemberRole.Member);
        using var anonymous = node.Anonymous();
        var login = await Http.Expect(await anonymous.PostAsJsonAsync("/api/auth/login", new { username, password = MemberPassword }), 200);
        var client = node.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)login["accessToken"]!);
        return client;
    }

    /// <summary>Sends a request as a member of <paramref name="from"/> and waits until it is answered; returns the exchange.</summary>
    private async Task<JsonObject> AskAsync(TestNode from, string resources, JsonObject body, string type = "place.book")
    {
        using var member = await MemberAsync(from);
        var sent = await Http.Expect(await member.PostAsync("/api/exchanges", Http.Json(new JsonObject
        {
            ["target"] = A.DatasetActor(resources), ["type"] = type, ["body"] = body,
        })), 201);
        Assert.Equal(("outgoing", "pending", "place.resources"), ((string?)sent["direction"], (string?)sent["state"], (string?)sent["kind"]));
        var id = (string)sent["id"]!;
        return await Wait.ForAsync(async () => await Http.Expect(await member.GetAsync($"/api/exchanges/{id}"), 200),
            e => (string?)e["state"] is "accepted" or "refused", $"exchange {id} to be answered");
    }

    private static void AssertRefused(JsonObject exchange, string code) =>
        Assert.True(((string?)exchange["state"], (string?)exchange["code"]) == ("refused", code), $"expected refused {code}: {exchange.ToJsonString()}");

    private async Task<List<JsonObject>> BookingsOnAAsync(string bookings)
    {
        using var admin = await A.AdminAsync();
        var page = await Http.Expect(await admin.GetAsync($"/api/datasets/{bookings}/records?limit=500"), 200);
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    private static bool SameInstant(JsonNode? text, string expected) =>
        DateTimeOffset.Parse((string)text!, CultureInfo.InvariantCulture) == DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_follower_books_a_free_slot_and_is_refused_an_overlap_a_broken_rule_and_a_place_turned_off()
    {
        var (resources, bookings) = await OpenPlaceAsync();

        // 1. A free slot: accepted, the booking held on A by B's node actor.
        var accepted = await AskAsync(B, resources, Book(At(10), At(11)));
        Assert.Equal("accepted", (string?)accepted["state"]);
        var result = accepted["result"]!.AsObject();
        var bookingId = (string)result["booking"]!;
        Assert.Equal((Room, "confirmed"), ((string?)result["resource"], (string?)result["state"]));
        Assert.True(SameInstant(result["start"], At(10)) && SameInstant(result["end"], At(11)), result.ToJsonString());
        var held = Assert.Single(await BookingsOnAAsync(bookings));
        Assert.Equal((bookingId, B.NodeActor, B.NodeActor), ((string?)held["id"], (string?)held["createdBy"], (string?)held["data"]!["bookedBy"]));
        Assert.True(SameInstant(held["data"]!["start"], At(10)), held.ToJsonString());

        // 2. Half an hour into it: the room is booked then, and A writes nothing.
        AssertRefused(await AskAsync(B, resources, Book(At(10, 30), At(11, 30))), "booking_conflict");
        // 3. Four hours where three at most are allowed; before opening time.
        AssertRefused(await AskAsync(B, resources, Book(At(12), At(16))), "booking_too_long");
        AssertRefused(await AskAsync(B, resources, Book(At(6), At(7))), "outside_opening_hours");
        Assert.Single(await BookingsOnAAsync(bookings));

        // 4. The place turned off at A: refused before the place is asked; on again, the same request is booked.
        await SwitchPlaceAsync(A, on: false);
        AssertRefused(await AskAsync(B, resources, Book(At(14), At(15))), "module_off");
        Assert.Single(await BookingsOnAAsync(bookings));
        await SwitchPlaceAsync(A, on: true);
        var again = await AskAsync(B, resources, Book(At(14), At(15)));
        Assert.Equal("accepted", (string?)again["state"]);
        Assert.Equal(2, (await BookingsOnAAsync(bookings)).Count);
    }

    [Fact]
    public async Task A_node_that_does_not_follow_is_refused_and_a_cancelled_booking_frees_its_slot()
    {
        var (resources, bookings) = await OpenPlaceAsync();

        AssertRefused(await AskAsync(C, resources, Book(At(10), At(11))), "not_allowed");
        Assert.Empty(await BookingsOnAAsync(bookings));

        var booked = await AskAsync(B, resources, Book(At(10), At(11)));
        var bookingId = (string)booked["result"]!["booking"]!;
        // C, not following, may not cancel it, nor may anyone cancel a booking that is not theirs.
        AssertRefused(await AskAsync(C, resources, new JsonObject { ["booking"] = bookingId }, "place.cancel"), "not_allowed");

        var cancelled = await AskAsync(B, resources, new JsonObject { ["booking"] = bookingId }, "place.cancel");
        Assert.Equal(("accepted", bookingId, "cancelled"), ((string?)cancelled["state"], (string?)cancelled["result"]!["booking"], (string?)cancelled["result"]!["state"]));
        Assert.Equal("cancelled", (string?)Assert.Single(await BookingsOnAAsync(bookings))["data"]!["state"]);

        // The hour is free again: the overlapping request that would have clashed is booked.
        var rebooked = await AskAsync(B, resources, Book(At(10, 30), At(11, 30)));
        Assert.Equal("accepted", (string?)rebooked["state"]);
        Assert.Equal(2, (await BookingsOnAAsync(bookings)).Count);
    }

    [Fact]
    public async Task Malformed_or_impossible_bookings_are_refused_with_their_codes_on_both_sides_and_book_nothing()
    {
        var (resources, bookings) = await OpenPlaceAsync();
        var yesterday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).Date.AddDays(-1).AddHours(10);
        var past = new DateTimeOffset(yesterday, Brussels.GetUtcOffset(yesterday));
        var cases = new (JsonObject Body, string Code)[]
        {
            (Book(At(10)[..19], At(11)), "validation_failed"), // a start without its offset
            (new JsonObject { ["resource"] = Room, ["start"] = 10, ["end"] = At(11) }, "validation_failed"), // a number, not text
            (new JsonObject { ["resource"] = "room-9", ["start"] = At(10), ["end"] = At(11) }, "unknown_resource"),
            (Book(At(11), At(10)), "booking_ends_before_start"),
            (Book(past.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), past.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)), "booking_in_past"),
        };
        foreach (var (body, code) in cases) AssertRefused(await AskAsync(B, resources, body), code);

        Assert.Empty(await BookingsOnAAsync(bookings));
        using var admin = await A.AdminAsync();
        var incoming = await Wait.ForAsync(async () => (await Http.Expect(await admin.GetAsync("/api/exchanges?direction=incoming"), 200))["items"]!.AsArray(),
            items => items.Count == cases.Length, "A to keep every refused request");
        Assert.Equal(cases.Select(c => c.Code).Order(), incoming.Select(e => (string)e!["code"]!).Order());
        Assert.All(incoming, e => Assert.Equal(("refused", resources), ((string?)e!["state"], (string?)e["dataset"])));
    }

    [Fact]
    public async Task Two_followers_asking_for_one_hour_at_once_get_one_booking_and_a_node_that_unfollows_may_book_no_more()
    {
        var (resources, bookings) = await OpenPlaceAsync();
        var cSubscription = await FollowAsync(C, resources);

        var answers = await Task.WhenAll(AskAsync(B, resources, Book(At(9), At(10))), AskAsync(C, resources, Book(At(9, 30), At(10, 30))));
        Assert.Equal(["accepted", "refused"], answers.Select(a => (string)a["state"]!).Order());
        Assert.Equal("booking_conflict", (string?)answers.Single(a => (string?)a["state"] == "refused")["code"]);
        Assert.Single(await BookingsOnAAsync(bookings));

        using (var admin = await C.AdminAsync())
            await Http.Expect(await admin.DeleteAsync($"/api/subscriptions/{cSubscription}"), 204);
        await Wait.ForAsync(() => A.FollowersAsync(resources), f => !f.ContainsKey(C.NodeActor), "A to forget C");
        AssertRefused(await AskAsync(C, resources, Book(At(15), At(16))), "not_allowed");
        Assert.Single(await BookingsOnAAsync(bookings));
    }
}
