using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.E2E.Support;
using Commons.Modules.Place.Calendar;

namespace Commons.E2E;

/// <summary>
/// A booking organisation's own usage and calendar of its bookings elsewhere, across three real nodes: A offers a room
/// priced in € and credit; B and C follow it and their members book it from their own nodes. B reads its month from
/// A's signed <c>usage</c> view (API and CSV), and its organisation's calendar feed holds its bookings at A — never
/// C's, not an id, not a count.
/// </summary>
public sealed class PlaceUsageElsewhereTests() : NodesTest(3)
{
    private const string Room = "workshop-1";
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private readonly DateTime _day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).Date.AddDays(8);

    private DateTimeOffset At(int hour)
    {
        var local = _day.AddHours(hour);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local));
    }

    private static string Text(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private string Month => _day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static async Task SwitchPlaceOnAsync(TestNode node)
    {
        using var admin = await node.AdminAsync();
        await Http.Expect(await admin.PutAsync("/api/admin/modules/place", Http.Json(new JsonObject { ["enabled"] = true })), 200);
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

    /// <summary>A's public resources dataset with a room (10 € and 3 credit units an hour, free cancellation until 14 days before), followed by B and C.</summary>
    private async Task<(string Resources, string FromB, string FromC)> OpenPlaceAsync()
    {
        foreach (var node in new[] { A, B, C }) await SwitchPlaceOnAsync(node);
        var resources = A.Unique("rooms-");
        using (var admin = await A.AdminAsync())
        {
            foreach (var (slug, kind) in new[] { (resources, "place.resources"), (A.Unique("bookings-"), "place.bookings") })
                await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
                {
                    ["slug"] = slug, ["title"] = new JsonObject { ["en"] = slug }, ["kind"] = kind,
                })), 201);
        }
        await A.CreateRecordAsync(resources, Room, JsonNode.Parse("""
            {"name":{"en":"Workshop","fr":"Atelier"},"category":"room","pricePerHourEur":"10","pricePerHourCredit":"3","cancellationDeadlineMinutes":20160,
             "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
            """)!.AsObject());
        var subscriptions = new List<string>();
        foreach (var follower in new[] { B, C })
        {
            var subscription = (string)(await follower.FollowAsync(A.Handle(resources)))["id"]!;
            await Wait.ForAsync(() => follower.SubscriptionStateAsync(subscription), s => s == "accepted", "the follow to be accepted");
            await Wait.ForAsync(() => follower.ReplicaAsync(subscription), r => r.ContainsKey(Room), "the room to reach the follower's copy");
            subscriptions.Add(subscription);
        }
        return (resources, subscriptions[0], subscriptions[1]);
    }

    /// <summary>Books the room from the member's node and waits for A's answer; returns the booking's id at A.</summary>
    private async Task<string> BookAsync(HttpClient member, string subscription, int from, int to)
    {
        var sent = await Http.Expect(await member.PostAsync("/api/place/elsewhere/bookings", Http.Json(new JsonObject
        {
            ["place"] = subscription, ["resource"] = Room, ["start"] = Text(At(from)), ["end"] = Text(At(to)),
        })), 202);
        var reference = (string)sent["exchange"]!;
        var answered = await Wait.ForAsync(async () => await Http.Expect(await member.GetAsync($"/api/exchanges/{reference}"), 200),
            e => (string?)e["state"] is "accepted" or "refused", "A's answer");
        Assert.Equal("accepted", (string?)answered["state"]);
        return (string)answered["result"]!["booking"]!;
    }

    private static async Task CancelAsync(HttpClient member, string booking)
    {
        var mine = (await Http.Expect(await member.GetAsync("/api/place/elsewhere/bookings"), 200))["items"]!.AsArray();
        var reference = (string)mine.Single(i => (string?)i!["booking"] == booking)!["reference"]!;
        await Http.Expect(await member.PostAsync($"/api/place/elsewhere/bookings/{reference}/cancel", null), 202);
        await Wait.ForAsync(async () => (await Http.Expect(await member.GetAsync("/api/place/elsewhere/bookings"), 200))["items"]!.AsArray(),
            items => items.Any(i => (string?)i!["booking"] == booking && (string?)i["state"] == "cancelled"), "A to cancel the booking");
    }

    [Fact]
    public async Task B_sees_its_own_month_at_A_as_json_csv_and_in_its_calendar_and_nothing_of_C()
    {
        var (resources, fromB, fromC) = await OpenPlaceAsync();
        using var bMember = await MemberAsync(B);
        using var cMember = await MemberAsync(C);
        var kept = await BookAsync(bMember, fromB, 10, 12);
        var cancelled = await BookAsync(bMember, fromB, 14, 15);
        await CancelAsync(bMember, cancelled);
        var ofC = await BookAsync(cMember, fromC, 16, 17);

        // B's month, as A counts it for B: 2 h, 20 €, 6 credit units, one late cancellation.
        var usage = await Http.Expect(await bMember.GetAsync($"/api/place/usage/elsewhere?month={Month}"), 200);
        var place = Assert.Single(usage["places"]!.AsArray())!;
        Assert.Equal((A.DatasetActor(resources), true, 2m, 20m, 6m, 1, 1), ((string?)place["place"], (bool)place["fresh"]!, (decimal)place["hours"]!,
            (decimal)place["costEur"]!, (decimal)place["costCredit"]!, (int)place["lateCancellations"]!, (int)place["bookings"]!));
        Assert.Equal([kept, cancelled], place["items"]!.AsArray().Select(i => (string)i!["booking"]!));
        Assert.DoesNotContain(ofC, usage.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(C.Authority, usage.ToJsonString(), StringComparison.Ordinal);

        // C's own month is C's: one hour, and nothing of B.
        var cUsage = await Http.Expect(await cMember.GetAsync($"/api/place/usage/elsewhere?month={Month}"), 200);
        Assert.Equal([ofC], cUsage["places"]![0]!["items"]!.AsArray().Select(i => (string)i!["booking"]!));
        Assert.DoesNotContain(kept, cUsage.ToJsonString(), StringComparison.Ordinal);

        // The CSV parsed back: a line per booking of B's, with the same figures.
        var csv = (await bMember.GetStringAsync($"/api/place/usage/elsewhere.csv?month={Month}")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal("month,place,place_name,resource,booking,start,end,state,late,hours,cost_eur,cost_credit,payment", string.Join(',', csv[0]));
        Assert.Equal([(kept, "confirmed", "false", "2.00", "20.00", "6.00"), (cancelled, "cancelled", "true", "0.00", "0.00", "0.00")],
            csv.Skip(1).Select(l => (l[4], l[7], l[8], l[9], l[10], l[11])));
        Assert.Equal(At(10), DateTimeOffset.Parse(csv[1][5], CultureInfo.InvariantCulture));

        // B's organisation feed holds its bookings at A, parsed back with Ical.Net at the same instants; never C's.
        var issued = await Http.Expect(await bMember.PostAsync("/api/place/calendars/organisation/this-node?language=fr", null), 200);
        using var reader = B.Anonymous();
        var calendar = Ical.Net.Calendar.Load(await reader.GetStringAsync((string)issued["url"]!))!;
        Assert.Equal(2, calendar.Events.Count);
        var booked = calendar.Events.Single(e => e.Uid == CalendarFeeds.ElsewhereUid(A.DatasetActor(resources), kept));
        Assert.Equal((At(10).UtcDateTime, At(12).UtcDateTime, "CONFIRMED"), (booked.DtStart!.AsUtc, booked.DtEnd!.AsUtc, booked.Status));
        Assert.StartsWith("Atelier · ", booked.Summary, StringComparison.Ordinal);
        Assert.Equal("CANCELLED", calendar.Events.Single(e => e.Uid == CalendarFeeds.ElsewhereUid(A.DatasetActor(resources), cancelled)).Status);
        Assert.DoesNotContain(calendar.Events, e => e.Uid == CalendarFeeds.ElsewhereUid(A.DatasetActor(resources), ofC));
    }
}
