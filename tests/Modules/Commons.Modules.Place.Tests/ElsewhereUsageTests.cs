using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Place.Calendar;
using Commons.Modules.Place.Tests.Support;
using Commons.Modules.Place.Usage;
using Commons.Modules.Place.Views;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The booking organisation's side of the usage report and of its calendar: A's <c>usage</c> view tells the fetching
/// node its own month (never another organisation's booking, id or count), B shows it, exports it as CSV and keeps
/// the last answer while A is unreachable, and B's organisation feed holds its bookings at A. Views travel in process
/// (<see cref="DirectViews"/>); tests/Commons.E2E/PlaceUsageElsewhereTests.cs fetches them between real nodes.
/// </summary>
public sealed class ElsewhereUsageTests : IDisposable
{
    private const string RoomsActor = FollowedPlace.RoomsActor;
    private const string B = FollowedPlace.B;
    private const string C = FollowedPlace.C;
    private static readonly UsageMonth April = new(2026, 4);
    private readonly PlaceNode _a = new PlaceNode().WithPlace();
    private readonly PlaceNode _b = new();
    private readonly ElsewhereUsage _usage;
    private readonly string _cBooking;

    public ElsewhereUsageTests()
    {
        FollowedPlace.Link(_a, _b);
        _usage = new ElsewhereUsage(_b.Remote, _b.RemoteViews, _b.ModuleStore, _b.Clock);

        // C's booking and A's own member's are A's business with them, never B's.
        _cBooking = new PlaceReports(_a).BookForPeer(C, "workshop", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00", "Les Voisins");
        _a.Place.Book(Alice, Ask("workshop", "2026-04-02T14:00:00+02:00", "2026-04-02T15:00:00+02:00", "secret"));
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private async Task<string> BookForB(string resource, string start, string end)
    {
        var request = new IncomingRequest(_a.DatasetStore.Find("rooms")!, $"https://b.example/requests/{Guid.NewGuid():N}", "place.book", B, "b.example",
            JsonSerializer.SerializeToElement(new { resource, start, end }), _a.Clock.GetUtcNow());
        var decision = await _a.BookHandler.DecideAsync(request, CancellationToken.None);
        Assert.Equal(ExchangeState.Accepted, decision.State);
        return decision.Result!.Value.GetProperty("booking").GetString()!;
    }

    private async Task CancelForB(string booking)
    {
        var request = new IncomingRequest(_a.DatasetStore.Find("rooms")!, $"https://b.example/requests/{Guid.NewGuid():N}", "place.cancel", B, "b.example",
            JsonSerializer.SerializeToElement(new { booking }), _a.Clock.GetUtcNow());
        Assert.Equal(ExchangeState.Accepted, (await _a.CancelHandler.DecideAsync(request, CancellationToken.None)).State);
    }

    /// <summary>B's month at A: the workshop 2 h (€20, 6 credit units, billed), the hall 1 h 30 (no price), a late cancellation.</summary>
    private async Task<(string Workshop, string Hall, string Cancelled)> BsMonth()
    {
        var workshop = await BookForB("workshop", "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00");
        var hall = await BookForB("hall", "2026-04-03T09:00:00+02:00", "2026-04-03T10:30:00+02:00");
        var cancelled = await BookForB("workshop", "2026-04-02T10:00:00+02:00", "2026-04-02T11:00:00+02:00");
        await CancelForB(cancelled);
        return (workshop, hall, cancelled);
    }

    private JsonElement? View(string? fetcher, string? month) => new UsageView(_a.Directory, _a.RecordStore, _a.ModuleStore, _a.Billing).Build(new DatasetViewRequest(
        _a.DatasetStore.Find("rooms")!, "usage", fetcher, fetcher is null ? null : new Uri(fetcher).Authority,
        month is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["month"] = month }, _a.Clock.GetUtcNow()));

    [Fact]
    public async Task As_usage_view_tells_each_node_its_own_month_and_nothing_of_another_organisation()
    {
        var (workshop, hall, cancelled) = await BsMonth();

        var view = View(B, "2026-04")!.Value;
        Assert.Equal(("2026-04", "3.50", "20.00", "6.00", 1, 2), (view.GetProperty("month").GetString(), view.GetProperty("hours").GetString(),
            view.GetProperty("costEur").GetString(), view.GetProperty("costCredit").GetString(), view.GetProperty("lateCancellations").GetInt32(), view.GetProperty("confirmedBookings").GetInt32()));
        var items = view.GetProperty("bookings").EnumerateArray().ToList();
        Assert.Equal([workshop, cancelled, hall], items.Select(i => i.GetProperty("booking").GetString()));
        Assert.Equal(("6.00", "pending"), (items[0].GetProperty("costCredit").GetString(), items[0].GetProperty("payment").GetProperty("state").GetString()));
        Assert.Equal(("cancelled", true, "0.00"), (items[1].GetProperty("state").GetString(), items[1].GetProperty("late").GetBoolean(), items[1].GetProperty("hours").GetString()));
        var text = view.GetRawText();
        Assert.DoesNotContain(_cBooking, text, StringComparison.Ordinal);
        Assert.DoesNotContain("c.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);

        var ofC = View(C, "2026-04")!.Value;
        Assert.Equal((_cBooking, "2.00", 1), (Assert.Single(ofC.GetProperty("bookings").EnumerateArray()).GetProperty("booking").GetString(), ofC.GetProperty("hours").GetString(), ofC.GetProperty("confirmedBookings").GetInt32()));
        Assert.DoesNotContain(workshop, ofC.GetRawText(), StringComparison.Ordinal);

        Assert.Empty(View(B, "2026-05")!.Value.GetProperty("bookings").EnumerateArray());
        Assert.Equal("2026-03", View(B, null)!.Value.GetProperty("month").GetString());
        Assert.Null(View(null, "2026-04"));
        Assert.Equal(ProblemCodes.InvalidParameter, Assert.Throws<ValidationException>(() => View(B, "April")).Code);
    }

    [Fact]
    public async Task B_shows_its_own_usage_at_A_exports_it_as_csv_and_keeps_the_last_answer_while_A_is_unreachable()
    {
        var (workshop, hall, cancelled) = await BsMonth();

        var table = await _usage.OfAsync(Alice, April, CancellationToken.None);
        var place = Assert.Single(table.Places);
        Assert.Equal((RoomsActor, true, 3.5m, 20m, 6m, 1, 2), (place.Place, place.Fresh, place.Hours, place.CostEur, place.CostCredit, place.LateCancellations, place.Bookings));
        Assert.Equal([workshop, cancelled, hall], place.Items.Select(i => i.Booking));
        Assert.Equal(("Atelier", 6m, "pending"), (place.Items[0].ResourceName.In("fr"), place.Items[0].CostCredit, place.Items[0].Payment!.State));

        var lines = UsageCsv.Write(table, "fr").Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal("month,place,place_name,resource,booking,start,end,state,late,hours,cost_eur,cost_credit,payment", string.Join(',', lines[0]));
        Assert.Equal(3, lines.Count - 1);
        Assert.Equal(["2026-04", RoomsActor, "Maison de quartier", "workshop", workshop, "2026-04-01T14:00:00+02:00", "2026-04-01T16:00:00+02:00", "confirmed", "false", "2.00", "20.00", "6.00", "pending"], lines[1]);
        Assert.Equal(["cancelled", "true", "0.00"], lines[2][7..10]);
        Assert.Equal(3.5m, lines.Skip(1).Sum(l => decimal.Parse(l[9], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(lines, l => l.Contains(_cBooking));

        _b.RemoteViews.Down.Add(RoomsActor);
        var stale = Assert.Single((await _usage.OfAsync(Alice, April, CancellationToken.None)).Places);
        Assert.Equal((false, 3.5m, 3), (stale.Fresh, stale.Hours, stale.Items.Count));
        Assert.NotNull(stale.At);
        var never = Assert.Single((await _usage.OfAsync(Alice, new UsageMonth(2026, 6), CancellationToken.None)).Places);
        Assert.Equal((false, (DateTimeOffset?)null, 0), (never.Fresh, never.At, never.Items.Count));
        var reader = Alice with { Scopes = Core.Tokens.TokenScopes.None };
        await Assert.ThrowsAsync<ForbiddenException>(() => _usage.OfAsync(reader, April, CancellationToken.None));
    }

    [Fact]
    public async Task Bs_organisation_feed_holds_its_bookings_at_A_parsed_back_with_their_instants_and_never_Cs()
    {
        var (workshop, hall, cancelled) = await BsMonth();
        var feeds = new PlaceReports(_b).Feeds;
        var token = feeds.Issue(Alice, FeedTarget.OfOrganisation(Usage.BookingOrganisation.HostId), "fr").Token;

        var calendar = Ical.Net.Calendar.Load((await feeds.ReadAsync(token, null, CancellationToken.None))!.Text)!;
        Assert.Equal(3, calendar.Events.Count);
        var booked = calendar.Events.Single(e => e.Uid == CalendarFeeds.ElsewhereUid(RoomsActor, workshop));
        Assert.Equal((At("2026-04-01T14:00:00+02:00").UtcDateTime, At("2026-04-01T16:00:00+02:00").UtcDateTime), (booked.DtStart!.AsUtc, booked.DtEnd!.AsUtc));
        Assert.Equal(("Atelier · Maison de quartier (confirmée)", "CONFIRMED"), (booked.Summary, booked.Status));
        Assert.Equal("CANCELLED", calendar.Events.Single(e => e.Uid == CalendarFeeds.ElsewhereUid(RoomsActor, cancelled)).Status);
        Assert.Contains(calendar.Events, e => e.Uid == CalendarFeeds.ElsewhereUid(RoomsActor, hall));
        Assert.DoesNotContain(calendar.Events, e => e.Uid == CalendarFeeds.ElsewhereUid(RoomsActor, _cBooking));

        // A unreachable: the feed keeps what A said last, the same text.
        var before = (await feeds.ReadAsync(token, null, CancellationToken.None))!.Text;
        _b.RemoteViews.Down.Add(RoomsActor);
        Assert.Equal(before, (await feeds.ReadAsync(token, null, CancellationToken.None))!.Text);
        // The synchronous read (no network) is this node's own bookings only.
        Assert.Empty(Ical.Net.Calendar.Load(feeds.Read(token, null)!.Text)!.Events);
    }
}
