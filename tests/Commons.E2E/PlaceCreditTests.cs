using System.Globalization;
using System.Text.Json.Nodes;
using Commons.E2E.Support;

namespace Commons.E2E;

/// <summary>Its own collection: two node processes with the credit group open.</summary>
[CollectionDefinition(Name)]
public sealed class PlaceCreditCollection
{
    public const string Name = "place and credit";
}

/// <summary>
/// The place and mutual credit together on real node processes (issues 13 and 15), the two modules meeting only
/// through Core's ICreditPayments: B's node books A's room priced in credit; A's place confirms it and bills B through
/// A's credit module; B's member accepts the bill; the balances move by the booking's price and sum to zero.
/// </summary>
[Collection(PlaceCreditCollection.Name)]
public sealed class PlaceCreditTests
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    [Fact]
    public async Task A_booking_priced_in_credit_is_billed_through_the_credit_module_and_paid_when_the_booker_accepts()
    {
        await using var network = await CreditNetwork.StartAsync(2);
        var (a, b) = (network.Nodes[0], network.Nodes[1]);
        var resources = a.Unique("rooms-");
        using (var admin = await a.AdminAsync())
        {
            await Http.Expect(await admin.PutAsync("/api/admin/modules/place", Http.Json(new JsonObject { ["enabled"] = true })), 200);
            await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = resources, ["title"] = new JsonObject { ["en"] = "Rooms" }, ["kind"] = "place.resources",
            })), 201);
            await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = a.Unique("bookings-"), ["title"] = new JsonObject { ["en"] = "Bookings" }, ["kind"] = "place.bookings",
            })), 201);
            await Http.Expect(await admin.PostAsync($"/api/datasets/{resources}/records", Http.Json(new JsonObject
            {
                ["id"] = "room-1",
                ["data"] = JsonNode.Parse("""
                    {"name":{"en":"Big room"},"category":"room","maximumAttendeeCapacity":30,"maxLengthMinutes":240,"pricePerHourCredit":"2.50",
                     "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
                    """),
            })), 201);
        }
        using (var admin = await b.AdminAsync())
        {
            var subscription = (string)(await Http.Expect(await admin.PostAsync("/api/subscriptions", Http.Json(new JsonObject { ["target"] = a.Handle(resources) })), 201))["id"]!;
            await Wait.ForAsync(async () => (string?)(await Http.Expect(await admin.GetAsync($"/api/subscriptions/{subscription}"), 200))["state"],
                s => s == "accepted", "B's subscription to A's rooms", TimeSpan.FromMinutes(1));

            var sent = await Http.Expect(await admin.PostAsync("/api/exchanges", Http.Json(new JsonObject
            {
                ["target"] = a.DatasetActor(resources), ["type"] = "place.book",
                ["body"] = new JsonObject { ["resource"] = "room-1", ["start"] = At(10), ["end"] = At(12), ["purpose"] = "general assembly" },
            })), 201);
            var answered = await Wait.ForAsync(async () => await Http.Expect(await admin.GetAsync($"/api/exchanges/{sent["id"]}"), 200),
                e => (string?)e["state"] is "accepted" or "refused", "A's answer to the booking", TimeSpan.FromMinutes(1));
            Assert.True((string?)answered["state"] == "accepted", answered.ToJsonString());
        }

        // Two hours at 2.50: A's place bills B 5.00 through A's credit ledger; the bill waits on B for a member.
        var bill = Assert.Single(await Wait.ForAsync(() => network.PendingBillsAsync(1), bills => bills.Count > 0, "A's bill to reach B", TimeSpan.FromMinutes(1)));
        Assert.Equal(("200", null), await network.AnswerBillAsync(1, bill, accept: true));
        var paid = await Wait.ForAsync(async () => ((string?)(await network.BalanceAsync(0))["balance"], (string?)(await network.BalanceAsync(1))["balance"]),
            x => x == ("5.00", "-5.00") || x == ("5", "-5"), "both balances to show the payment", TimeSpan.FromMinutes(1));
        Assert.Equal(0m, decimal.Parse(paid.Item1!, CultureInfo.InvariantCulture) + decimal.Parse(paid.Item2!, CultureInfo.InvariantCulture));
        // The same booking is billed once, however often A reads it again.
        Assert.Empty(await network.PendingBillsAsync(1));
    }

    private static string At(int hour)
    {
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).Date.AddDays(8);
        var local = new DateTime(day.Year, day.Month, day.Day, hour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
