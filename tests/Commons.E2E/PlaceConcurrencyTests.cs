using System.Globalization;
using System.Text.Json.Nodes;
using Commons.E2E.Support;
using Xunit.Abstractions;

namespace Commons.E2E;

/// <summary>Its own collection: three nodes, one of them a process of its own, and a burst that keeps two cores busy for a while.</summary>
[CollectionDefinition(Name)]
public sealed class PlaceConcurrencyCollection
{
    public const string Name = "place concurrency";
}

/// <summary>
/// Never a double booking (issue 13): A hosts a room; B and C follow A's resources; 200 requests for overlapping slots
/// of the room arrive at once — from B and C as <c>place.book</c> requests, and from A's own members through A's API.
/// The bookings A holds never overlap, every request gets exactly one answer, and A's bookings, A's answers and what
/// each requester was told agree — also when A is killed (SIGKILL) in the middle of the burst and started again.
/// A runs in its own process so the kill is a real one; B and C are nodes of the test process.
/// </summary>
[Collection(PlaceConcurrencyCollection.Name)]
public sealed class PlaceConcurrencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Room = "room-1";
    private const int Requests = 200;
    private static readonly TimeSpan AnswerDeadline = TimeSpan.FromMinutes(3);
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    private ProcessNode A = null!;
    private TestNode B = null!, C = null!;

    /// <summary>The Brussels day of every booking: 8 days ahead, past any notice, fixed once.</summary>
    private readonly DateTime _day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Brussels).Date.AddDays(8);

    public async Task InitializeAsync()
    {
        var a = ProcessNode.StartAsync();
        var b = TestNode.StartAsync();
        var c = TestNode.StartAsync();
        (A, B, C) = (await a, await b, await c);
    }

    public async Task DisposeAsync()
    {
        if (A.Errors.Length > 0) output.WriteLine($"A logged:\n{A.Errors}");
        await C.DisposeAsync();
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    /// <summary>One request of the burst: who sends it, its tag (the booking's purpose, to find it on A), and its slot.</summary>
    private sealed record Ask(string From, string Tag, DateTimeOffset Start, DateTimeOffset End);

    /// <summary>What became of one request: the exchange (B, C) or the API answer (A); a booking id when it was accepted.</summary>
    private sealed record Outcome(Ask Ask, string Answer, string? Code, string? Booking, string? ExchangeId = null);

    [Fact]
    public async Task Two_hundred_overlapping_requests_from_three_nodes_give_bookings_that_never_overlap_and_one_answer_each()
    {
        var (resources, bookings) = await OpenPlaceAsync();
        var asks = Burst(seed: 13);

        var (exchanges, api) = await SendAsync(resources, asks, killAfterAnswers: null);

        Assert.All(api, o => Assert.True(o.Answer is "201" or "409", $"A's API answered {o.Answer} {o.Code} to {o.Ask.Tag}"));
        await CheckAgreementAsync(bookings, exchanges, api);
    }

    [Fact]
    public async Task A_killed_in_the_middle_of_the_burst_and_restarted_still_never_double_books_and_answers_every_request_once()
    {
        var (resources, bookings) = await OpenPlaceAsync();
        var asks = Burst(seed: 29);

        var (exchanges, api) = await SendAsync(resources, asks, killAfterAnswers: 25);

        // The kill landed while B's and C's requests were unanswered (SendAsync asserts it). Since A's inbox stores
        // requests in groups, they are often all stored before the kill, so a failed delivery is no longer a given; those
        // stored and not yet decided are decided after the restart, and each exactly once (CheckAgreementAsync).
        var failed = B.Deliveries.To(A.Url).Concat(C.Deliveries.To(A.Url)).Count(d => d.Status is null or >= 500);
        output.WriteLine($"{failed} deliveries to A failed around the kill and were retried");
        // An API call the kill cut has no answer; every other one has its own.
        Assert.All(api, o => Assert.True(o.Answer is "201" or "409" or "cut", $"A's API answered {o.Answer} {o.Code} to {o.Ask.Tag}"));
        await CheckAgreementAsync(bookings, exchanges, api);
    }

    /// <summary>The burst: 40 requests from A's API, 80 each from B and C, over 08:00–22:00 in quarter hours, 15 min to 1 h 30.</summary>
    private List<Ask> Burst(int seed)
    {
        var random = new Random(seed);
        var opens = At(8);
        return Enumerable.Range(0, Requests).Select(i =>
        {
            var from = (i % 5) switch { 0 => "A", 1 or 3 => "B", _ => "C" };
            var start = opens.AddMinutes(15 * random.Next(0, 50));
            return new Ask(from, $"burst-{seed}-{from}-{i:D3}", start, start.AddMinutes(15 * random.Next(1, 7)));
        }).ToList();
    }

    private DateTimeOffset At(int hour)
    {
        var local = new DateTime(_day.Year, _day.Month, _day.Day, hour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local));
    }

    private static string Text(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A turns the place on with a room open 08:00–22:00 in a resources dataset and a bookings dataset; B and C follow the resources.</summary>
    private async Task<(string Resources, string Bookings)> OpenPlaceAsync()
    {
        var resources = A.Unique("rooms-");
        var bookings = A.Unique("bookings-");
        using (var admin = await A.AdminAsync())
        {
            await Http.Expect(await admin.PutAsync("/api/admin/modules/place", Http.Json(new JsonObject { ["enabled"] = true })), 200);
            await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = resources, ["title"] = new JsonObject { ["en"] = "Rooms" }, ["kind"] = "place.resources",
            })), 201);
            await Http.Expect(await admin.PostAsync("/api/datasets", Http.Json(new JsonObject
            {
                ["slug"] = bookings, ["title"] = new JsonObject { ["en"] = "Bookings" }, ["kind"] = "place.bookings",
            })), 201);
            await Http.Expect(await admin.PostAsync($"/api/datasets/{resources}/records", Http.Json(new JsonObject
            {
                ["id"] = Room,
                ["data"] = JsonNode.Parse("""
                    {"name":{"en":"Big room","fr":"Grande salle","nl":"Grote zaal"},"category":"room","maximumAttendeeCapacity":30,"maxLengthMinutes":180,
                     "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],"opens":"08:00","closes":"22:00"}]}
                    """),
            })), 201);
        }
        foreach (var follower in new[] { B, C })
        {
            var subscription = (string)(await follower.FollowAsync(A.Handle(resources)))["id"]!;
            await Wait.ForAsync(() => follower.SubscriptionStateAsync(subscription), s => s == "accepted", $"{follower.Authority} to be accepted");
        }
        return (resources, bookings);
    }

    /// <summary>
    /// Sends every request at once and waits until each is answered. With <paramref name="killAfterAnswers"/>, A's API
    /// calls are split around the crash: half with the burst, half once A is back; A is killed as soon as that many of
    /// B's and C's requests were answered, and started again at once.
    /// </summary>
    private async Task<(List<Outcome> Exchanges, List<Outcome> Api)> SendAsync(string resources, List<Ask> asks, int? killAfterAnswers)
    {
        using var bAdmin = await B.AdminAsync();
        using var cAdmin = await C.AdminAsync();
        var fromApi = asks.Where(a => a.From == "A").ToList();
        var first = killAfterAnswers is null ? fromApi : fromApi.Take(fromApi.Count / 2).ToList();
        var sent = asks.Where(a => a.From != "A").Select(a => SendExchangeAsync(a.From == "B" ? bAdmin : cAdmin, resources, a)).ToList();
        var api = first.Select(BookOnAAsync).ToList();
        var ids = (await Task.WhenAll(sent)).ToList();

        if (killAfterAnswers is { } answered)
        {
            await Wait.ForAsync(() => AnsweredAsync(bAdmin, cAdmin, ids), n => n >= answered, $"{answered} requests to be answered before the kill");
            A.Kill();
            var afterKill = await AnsweredAsync(bAdmin, cAdmin, ids);
            output.WriteLine($"A killed with {afterKill} of {ids.Count} requests from B and C answered");
            Assert.True(afterKill < ids.Count, "the burst was over before the kill");
            await A.RestartAsync();
            api.AddRange(fromApi.Skip(first.Count).Select(BookOnAAsync));
        }
        var apiOutcomes = (await Task.WhenAll(api)).ToList();
        try
        {
            await Wait.ForAsync(() => AnsweredAsync(bAdmin, cAdmin, ids), n => n == ids.Count, "every request from B and C to be answered", AnswerDeadline);
        }
        catch (TimeoutException)
        {
            await DescribeUnansweredAsync(bAdmin, cAdmin, ids);
            throw;
        }

        var exchanges = new List<Outcome>();
        foreach (var (ask, id) in asks.Where(a => a.From != "A").Zip(ids))
        {
            var client = ask.From == "B" ? bAdmin : cAdmin;
            var e = await Http.Expect(await client.GetAsync($"/api/exchanges/{Uri.EscapeDataString(id)}"), 200);
            exchanges.Add(new Outcome(ask, (string)e["state"]!, (string?)e["code"], (string?)e["result"]?["booking"], (string)e["requestId"]!));
        }
        return (exchanges, apiOutcomes);
    }

    private async Task<string> SendExchangeAsync(HttpClient client, string resources, Ask ask)
    {
        var sent = await Http.Expect(await client.PostAsync("/api/exchanges", Http.Json(new JsonObject
        {
            ["target"] = A.DatasetActor(resources), ["type"] = "place.book",
            ["body"] = new JsonObject { ["resource"] = Room, ["start"] = Text(ask.Start), ["end"] = Text(ask.End), ["purpose"] = ask.Tag },
        })), 201);
        return (string)sent["id"]!;
    }

    /// <summary>A's own member books through A's API; a call the kill cuts has no answer ("cut").</summary>
    private async Task<Outcome> BookOnAAsync(Ask ask)
    {
        try
        {
            using var admin = await A.AdminAsync();
            var response = await admin.PostAsync("/api/place/bookings", Http.Json(new JsonObject
            {
                ["resource"] = Room, ["start"] = Text(ask.Start), ["end"] = Text(ask.End), ["purpose"] = ask.Tag,
            }));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject();
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return new Outcome(ask, status, (string?)body?["code"], status == "201" ? (string?)body?["id"] : null);
        }
        catch (HttpRequestException) { return new Outcome(ask, "cut", null, null); }
    }

    /// <summary>For a failing run: where each unanswered request is — on its way, stored on A, answered by A but not heard of.</summary>
    private async Task DescribeUnansweredAsync(HttpClient bAdmin, HttpClient cAdmin, IReadOnlyCollection<string> ids)
    {
        var unanswered = new List<JsonObject>();
        foreach (var client in new[] { bAdmin, cAdmin })
            unanswered.AddRange((await ListAsync(client, "/api/exchanges?direction=outgoing"))
                .Where(e => ids.Contains((string)e["id"]!) && (string?)e["state"] is not ("accepted" or "refused")));
        using var admin = await A.AdminAsync();
        var onA = (await ListAsync(admin, "/api/exchanges?direction=incoming")).ToDictionary(e => (string)e["requestId"]!);
        output.WriteLine($"{unanswered.Count} requests unanswered; A holds {onA.Count} incoming exchanges, {onA.Values.Count(e => (string?)e["state"] == "pending")} pending");
        foreach (var e in unanswered.Take(20))
        {
            var requestId = (string)e["requestId"]!;
            var theirs = onA.GetValueOrDefault(requestId);
            var attempts = B.Deliveries.All.Concat(C.Deliveries.All).Where(d => d.ActivityId == requestId).Select(d => d.Status?.ToString(CultureInfo.InvariantCulture) ?? d.Error);
            output.WriteLine($"{requestId}: {e["state"]} here; on A {(theirs is null ? "nothing" : $"{theirs["state"]} {theirs["code"]}")}; deliveries: {string.Join(", ", attempts)}");
        }
        foreach (var d in B.Deliveries.To(A.Url).Concat(C.Deliveries.To(A.Url)).Where(d => d.Status is not (>= 200 and < 300)).Take(10))
            output.WriteLine($"failed delivery to A: {d.Type} {d.ActivityId} {d.Status} {d.Error}");
    }

    /// <summary>How many of the requests B and C sent are answered (accepted or refused), as B and C see them.</summary>
    private static async Task<int> AnsweredAsync(HttpClient bAdmin, HttpClient cAdmin, IReadOnlyCollection<string> ids)
    {
        var answered = 0;
        foreach (var client in new[] { bAdmin, cAdmin })
            foreach (var e in await ListAsync(client, "/api/exchanges?direction=outgoing"))
                if (ids.Contains((string)e["id"]!) && (string?)e["state"] is "accepted" or "refused") answered++;
        return answered;
    }

    /// <summary>Every item of a paged list (<c>next</c> as the cursor).</summary>
    private static async Task<List<JsonObject>> ListAsync(HttpClient client, string path, string cursorName = "after")
    {
        var items = new List<JsonObject>();
        string? next = null;
        do
        {
            var separator = path.Contains('?') ? '&' : '?';
            var page = await Http.Expect(await client.GetAsync($"{path}{separator}limit=200" + (next is null ? "" : $"&{cursorName}={Uri.EscapeDataString(next)}")), 200);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            next = (string?)page["next"];
        } while (next is not null);
        return items;
    }

    /// <summary>
    /// The checks after the burst: every answer is final and is booked or a conflict; A's bookings never overlap; each
    /// request is booked at most once on A, exactly when its requester was told so; A's answers are the ones B and C got.
    /// </summary>
    private async Task CheckAgreementAsync(string bookings, List<Outcome> exchanges, List<Outcome> api)
    {
        foreach (var e in exchanges)
            Assert.True(e.Answer == "accepted" ? e.Booking is not null : (e.Answer, e.Code) == ("refused", "booking_conflict"),
                $"{e.Ask.Tag}: {e.Answer} {e.Code}");
        Assert.All(api.Where(o => o.Answer == "409"), o => Assert.Equal("booking_conflict", o.Code));

        using var admin = await A.AdminAsync();
        var held = (await ListAsync(admin, $"/api/datasets/{bookings}/records", "cursor"))
            .Select(r => (Id: (string)r["id"]!, Data: r["data"]!.AsObject())).ToList();
        Assert.All(held, b => Assert.Contains((string)b.Data["state"]!, new[] { "confirmed", "pending" }));
        var slots = held.Select(b => (b.Id, Start: DateTimeOffset.Parse((string)b.Data["start"]!, CultureInfo.InvariantCulture),
            End: DateTimeOffset.Parse((string)b.Data["end"]!, CultureInfo.InvariantCulture))).OrderBy(s => s.Start).ToList();
        for (var i = 1; i < slots.Count; i++)
            Assert.True(slots[i - 1].End <= slots[i].Start, $"bookings {slots[i - 1].Id} and {slots[i].Id} overlap");

        // Each request booked at most once, and exactly the ones whose requester was told so (a cut API call: either).
        var byTag = held.GroupBy(b => (string)b.Data["purpose"]!).ToDictionary(g => g.Key, g => g.Select(b => b.Id).ToList());
        Assert.All(byTag, t => Assert.True(t.Value.Count == 1, $"{t.Key} booked {t.Value.Count} times"));
        foreach (var o in exchanges.Concat(api).Where(o => o.Answer != "cut"))
        {
            var booked = byTag.GetValueOrDefault(o.Ask.Tag)?.Single();
            Assert.True(booked == o.Booking, $"{o.Ask.Tag}: told {o.Answer} {o.Booking}, A holds {booked ?? "nothing"}");
        }
        Assert.Equal(held.Count, byTag.Count);
        Assert.True(byTag.Count > 1 && exchanges.Any(e => e.Answer == "accepted") && exchanges.Any(e => e.Answer == "refused"),
            $"a burst that decided little: {byTag.Count} bookings");

        // A's side of every exchange: one each, answered as B and C were told, none left pending.
        var incoming = await ListAsync(admin, "/api/exchanges?direction=incoming");
        Assert.DoesNotContain(incoming, e => (string?)e["state"] == "pending");
        var onA = incoming.GroupBy(e => (string)e["requestId"]!).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var e in exchanges)
        {
            var theirs = Assert.Single(onA[e.ExchangeId!]);
            Assert.Equal((e.Answer, e.Code, e.Booking), ((string)theirs["state"]!, (string?)theirs["code"], (string?)theirs["result"]?["booking"]));
        }
        output.WriteLine($"{held.Count} bookings held; exchanges {exchanges.Count(e => e.Answer == "accepted")} accepted, " +
            $"{exchanges.Count(e => e.Answer == "refused")} refused; API {api.Count(o => o.Answer == "201")} booked, {api.Count(o => o.Answer == "409")} conflicts, {api.Count(o => o.Answer == "cut")} cut");
    }
}
