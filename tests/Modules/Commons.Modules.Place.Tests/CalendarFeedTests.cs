using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Modules.Place.Calendar;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using Ical.Net.CalendarComponents;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// The iCalendar feeds against a real store: what is written parses back with Ical.Net to the same events at the same
/// instants across both 2026 daylight-saving changes; who may make a feed; what a resource's feed says of the booker.
/// </summary>
public sealed class CalendarFeedTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();
    private readonly PlaceReports _reports;

    public CalendarFeedTests() => _reports = new PlaceReports(_node);

    public void Dispose() => _node.Dispose();

    private CalendarFeeds Feeds => _reports.Feeds;

    private static Ical.Net.Calendar Parse(FeedDocument feed) => Ical.Net.Calendar.Load(feed.Text)!;

    private CalendarEvent EventOf(Ical.Net.Calendar calendar, string bookingId) =>
        calendar.Events.Single(e => e.Uid == Uid(bookingId));

    private string Uid(string bookingId) => CalendarFeeds.Uid(_node.DatasetStore.Find("bookings")!, bookingId);

    [Fact]
    public void A_resource_feed_parses_back_to_the_same_bookings_at_the_same_instants_across_both_daylight_saving_changes()
    {
        (string Start, string End)[] times =
        [
            ("2026-03-28T10:00:00+01:00", "2026-03-28T12:00:00+01:00"), // the Saturday before summer time
            ("2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"), // across the change: one hour elapsed
            ("2026-03-29T10:00:00+02:00", "2026-03-29T12:00:00+02:00"), // the Sunday after: 10:00 still
            ("2026-10-25T02:30:00+02:00", "2026-10-25T02:50:00+02:00"), // the first 02:30 of the night winter time returns
            ("2026-10-25T02:30:00+01:00", "2026-10-25T02:50:00+01:00"), // the second 02:30, an hour later
            ("2026-10-26T10:00:00+01:00", "2026-10-26T12:00:00+01:00"),
        ];
        var made = times.Select(t => _node.Place.Book(Alice, Ask("van", t.Start, t.End))).ToList();
        var cancelled = _node.Place.Cancel(Alice, made[5].Id);
        var issued = Feeds.Issue(Admin, FeedTarget.OfResource("van"), "en");

        var calendar = Parse(Feeds.Read(issued.Token, null)!);
        Assert.Equal(times.Length, calendar.Events.Count);
        foreach (var (booking, (start, end)) in made.Zip(times))
        {
            var e = EventOf(calendar, booking.Id);
            Assert.True(e.DtStart!.IsUtc);
            Assert.Equal(At(start).UtcDateTime, e.DtStart.AsUtc);
            Assert.Equal(At(end).UtcDateTime, e.DtEnd!.AsUtc);
            Assert.Equal(At(start).Offset, PlaceTime.Zone.GetUtcOffset(e.DtStart.AsUtc));
        }
        // On a Brussels clock: 10:00 on both sides of the spring change, and two distinct 02:30 in the autumn.
        string Wall(int i) => PlaceTime.Local(new DateTimeOffset(EventOf(calendar, made[i].Id).DtStart!.AsUtc)).ToString("HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["10:00 +01:00", "01:30 +01:00", "10:00 +02:00", "02:30 +02:00", "02:30 +01:00"], Enumerable.Range(0, 5).Select(Wall));
        Assert.Contains("DTSTART:20261025T003000Z", Feeds.Read(issued.Token, null)!.Text);
        Assert.Contains("DTSTART:20261025T013000Z", Feeds.Read(issued.Token, null)!.Text);

        var first = EventOf(calendar, made[0].Id);
        Assert.Equal(("CONFIRMED", 0, "Van · Booked (confirmed)"), (first.Status, first.Sequence, first.Summary));
        var gone = EventOf(calendar, cancelled.Id);
        Assert.Equal(("CANCELLED", 1), (gone.Status, gone.Sequence));
        Assert.Equal(_node.Booking(cancelled.Id)!.UpdatedAt.UtcDateTime, gone.LastModified!.AsUtc);
        Assert.Equal("Van", calendar.Properties["X-WR-CALNAME"]!.Value);
    }

    [Fact]
    public void A_feed_holds_thirty_days_back_to_a_year_ahead_and_reads_the_same_twice()
    {
        var soon = _node.Place.Book(Alice, Ask("van", "2026-03-21T10:00:00+01:00", "2026-03-21T11:00:00+01:00"));
        var far = _node.Place.Book(Alice, Ask("van", "2027-03-25T10:00:00+01:00", "2027-03-25T11:00:00+01:00"));
        var token = Feeds.Issue(Admin, FeedTarget.OfResource("van"), "fr").Token;
        var feed = Feeds.Read(token, null)!;
        Assert.Equal([Uid(soon.Id)], Parse(feed).Events.Select(e => e.Uid));
        // Nothing changed, nothing differs: DTSTAMP is the booking's last change, not the time of the fetch.
        _node.Clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(feed.Text, Feeds.Read(token, null)!.Text);

        // A month on, the first is more than 30 days behind and the second less than a year ahead.
        _node.Clock.Advance(TimeSpan.FromDays(32));
        Assert.Equal([Uid(far.Id)], Parse(Feeds.Read(token, null)!).Events.Select(e => e.Uid));
        _node.Clock.Advance(TimeSpan.FromDays(372));
        Assert.Empty(Parse(Feeds.Read(token, null)!).Events);
    }

    [Fact]
    public void The_booking_organisation_is_named_only_when_the_bookings_dataset_shares_the_organisation_field()
    {
        _node.Place.Book(Alice, new Services.BookingRequest("hall", At("2026-03-23T10:00:00+01:00"), At("2026-03-23T12:00:00+01:00"), "secret meeting", "Les Amis du Parc"));
        _reports.BookForPeer("https://velo.example/actor", "hall", "2026-03-24T10:00:00+01:00", "2026-03-24T12:00:00+01:00");
        var token = Feeds.Issue(Admin, FeedTarget.OfResource("hall"), "fr").Token;

        // Kept home by default (the kind's DefaultExcludedFields): only that it is booked.
        var kept = Feeds.Read(token, null)!;
        Assert.Equal(["Grande salle · Réservé (confirmée)", "Grande salle · Réservé (confirmée)"], Parse(kept).Events.Select(e => e.Summary).Order());
        Assert.DoesNotContain("Amis", kept.Text);

        _node.Datasets.Update(Admin, "bookings", new DatasetDraft { ExcludedFields = ["bookedBy", "purpose"] });
        var shared = Feeds.Read(token, null)!;
        Assert.Equal(["Grande salle · Les Amis du Parc (confirmée)", "Grande salle · velo.example (confirmée)"], Parse(shared).Events.Select(e => e.Summary).Order());
        Assert.Equal(["Grote zaal · Les Amis du Parc (bevestigd)", "Grote zaal · velo.example (bevestigd)"],
            Parse(Feeds.Read(token, "nl")!).Events.Select(e => e.Summary).Order());
        // Never the member's username nor the purpose.
        Assert.DoesNotContain("alice", shared.Text);
        Assert.DoesNotContain("secret meeting", shared.Text);
    }

    [Fact]
    public void The_organisation_feed_holds_this_nodes_bookings_of_every_resource_and_not_other_nodes()
    {
        var hall = _node.Place.Book(Alice, Ask("hall", "2026-03-23T10:00:00+01:00", "2026-03-23T12:00:00+01:00"));
        var van = _node.Place.Book(Bob, Ask("van", "2026-03-23T10:00:00+01:00", "2026-03-23T12:00:00+01:00"));
        _reports.BookForPeer("https://velo.example/actor", "hall", "2026-03-24T10:00:00+01:00", "2026-03-24T12:00:00+01:00");
        var issued = Feeds.Issue(Bob, FeedTarget.OfOrganisation("this-node"), "en");

        var calendar = Parse(Feeds.Read(issued.Token, null)!);
        Assert.Equal(new[] { Uid(hall.Id), Uid(van.Id) }.Order(), calendar.Events.Select(e => e.Uid).Order());
        Assert.DoesNotContain(hall.Id, Feeds.Read(issued.Token, null)!.Text);
        Assert.Equal(["Main hall (confirmed)", "Van (confirmed)"], calendar.Events.Select(e => e.Summary).Order());
        Assert.Equal(PlaceReports.NodeName, calendar.Properties["X-WR-CALNAME"]!.Value);
    }

    [Fact]
    public void A_token_is_kept_only_as_its_hash_and_a_new_one_or_a_stop_closes_the_old_at_once()
    {
        var first = Feeds.Issue(Admin, FeedTarget.OfResource("hall"), "fr");
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.Token);
        var stored = _node.ModuleStore.Read("place", d => d.Range("calendar-feeds", null, null, 10));
        Assert.Equal([FeedTokens.Hash(first.Token)], stored.Select(d => d.Key));
        Assert.DoesNotContain(first.Token, stored.Single().Value.GetRawText());
        Assert.NotNull(Feeds.Read(first.Token, null));

        var second = Feeds.Issue(Admin, FeedTarget.OfResource("hall"), "nl");
        Assert.NotEqual(first.Token, second.Token);
        Assert.Null(Feeds.Read(first.Token, null));
        Assert.NotNull(Feeds.Read(second.Token, null));
        Assert.Null(Feeds.Read(second.Token[..^1], null));
        Assert.Null(Feeds.Read("", null));

        Assert.Equal([(true, "nl")], Feeds.Manageable(Admin).Where(f => f.Target.Id == "hall").Select(f => (f.Active, f.Language)));
        Feeds.Stop(Admin, FeedTarget.OfResource("hall"));
        Assert.Null(Feeds.Read(second.Token, null));
        Feeds.Stop(Admin, FeedTarget.OfResource("hall"));
        Assert.Empty(_node.ModuleStore.Read("place", d => d.Range("calendar-feeds", null, null, 10)));
    }

    [Fact]
    public void Stewards_of_the_resources_manage_their_feeds_members_their_organisations_and_nobody_else_anything()
    {
        Assert.Equal(["hall", "van", "this-node"], Feeds.Manageable(Admin).Select(f => f.Target.Id));
        Assert.Equal(["this-node"], Feeds.Manageable(Bob).Select(f => f.Target.Id));
        Assert.Throws<ForbiddenException>(() => Feeds.Issue(Bob, FeedTarget.OfResource("hall"), "fr"));
        Assert.Throws<ForbiddenException>(() => Feeds.Stop(Bob, FeedTarget.OfResource("hall")));
        Assert.Throws<NotFoundException>(() => Feeds.Issue(Admin, FeedTarget.OfResource("nothing"), "fr"));
        Assert.Throws<NotFoundException>(() => Feeds.Issue(Bob, FeedTarget.OfOrganisation("https://velo.example/actor"), "fr"));
        Assert.Throws<NotFoundException>(() => Feeds.Issue(Bob, new FeedTarget("dataset", "rooms"), "fr"));
        var reader = Alice with { Scopes = Core.Tokens.TokenScopes.Read };
        Assert.Throws<ForbiddenException>(() => Feeds.Issue(reader, FeedTarget.OfOrganisation("this-node"), "fr"));
        Assert.Equal("language", Assert.Throws<ValidationException>(() => Feeds.Issue(Bob, FeedTarget.OfOrganisation("this-node"), "de")).Errors[0].Path);

        // A steward of the resources dataset (not an administrator) manages its resources' feeds.
        _node.AddMember("bob");
        _node.Datasets.SetGrant(Admin, "rooms", "bob", GrantRole.Steward);
        Assert.Equal(["hall", "van", "this-node"], Feeds.Manageable(Bob).Select(f => f.Target.Id));
        Assert.NotNull(Feeds.Read(Feeds.Issue(Bob, FeedTarget.OfResource("van"), null).Token, null));
    }
}
