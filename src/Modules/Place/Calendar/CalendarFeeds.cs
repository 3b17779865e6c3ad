using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Resources;
using Commons.Modules.Place.Services;
using Commons.Modules.Place.Usage;

namespace Commons.Modules.Place.Calendar;

/// <summary>A feed's text and the name calendar programs show for it.</summary>
public sealed record FeedDocument(string Name, string Text);

/// <summary>
/// The place's iCalendar feeds: one per resource (its bookings, the booking organisation named only when the bookings
/// dataset shares the <c>organisation</c> field) and one per booking organisation (its bookings on every resource; on
/// this node, this node's own). Who manages a feed is decided here: a resource's feed by the stewards of its resources
/// dataset, the organisation's by its members. A feed is read by its secret token alone. This organisation's feed also
/// holds its bookings at the places this node follows (<see cref="ReadAsync"/>).
/// </summary>
public sealed class CalendarFeeds(
    PlaceDirectory directory, IRecordStore store, IModuleStore modules, INodeStore node, TimeProvider clock, RemotePlaces? elsewhere = null)
{
    /// <summary>A feed holds the bookings from 30 days ago to a year ahead.</summary>
    public static readonly TimeSpan Behind = TimeSpan.FromDays(30);
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(365);
    public static readonly IReadOnlyList<string> Languages = ["fr", "nl", "en"];

    /// <summary>The feeds the caller may manage: those of the resources whose dataset they steward, and their organisation's.</summary>
    public IReadOnlyList<FeedView> Manageable(Caller caller)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        return modules.Read(PlaceIndex.Module, data =>
        {
            var index = new PlaceIndex(data);
            var tokens = new FeedTokens(data);
            var views = directory.ResourceDatasets().Where(d => DatasetAccess.LevelOf(caller, d) == AccessLevel.Steward)
                .SelectMany(d => index.ResourcesOf(d.Slug))
                .Select(id => View(tokens, FeedTarget.OfResource(id), NameOf(index.Resource(id), id)))
                .ToList();
            var ours = BookingOrganisation.Of(BookingOrganisation.HostId, node).Name;
            views.Add(View(tokens, FeedTarget.OfOrganisation(BookingOrganisation.HostId), new LocalizedText(ours, ours, ours)));
            return views;
        });
    }

    /// <summary>Makes the feed's token, or a new one in place of the old, which opens nothing from now on.</summary>
    public IssuedFeed Issue(Caller caller, FeedTarget target, string? language)
    {
        RequireManager(caller, target);
        var lang = language is null ? "fr" : Languages.Contains(language) ? language
            : throw ValidationException.For("language", "fr, nl or en", ProblemCodes.InvalidParameter);
        var token = FeedTokens.NewToken();
        modules.Write(PlaceIndex.Module, d => { new FeedTokens(d).Replace(target, token, lang, clock.GetUtcNow(), caller.Username); return 0; });
        return new IssuedFeed(target, token, lang);
    }

    /// <summary>Stops the feed: its URL answers 404 from now on. Stopping a stopped feed does nothing.</summary>
    public void Stop(Caller caller, FeedTarget target)
    {
        RequireManager(caller, target);
        modules.Write(PlaceIndex.Module, d => new FeedTokens(d).Remove(target));
    }

    /// <summary>The feed a token opens, in its language unless <paramref name="language"/> names another; null for any other token.</summary>
    public FeedDocument? Read(string token, string? language) =>
        Open(token, language) is { } feed ? new FeedDocument(feed.Name, FeedCalendar.Write(feed.Name, feed.Events)) : null;

    /// <summary>
    /// As <see cref="Read"/>; this organisation's feed also holds its bookings at the places this node follows, as each
    /// place's <c>mine</c> view tells them (the last answer kept when a place cannot be asked).
    /// </summary>
    public async Task<FeedDocument?> ReadAsync(string token, string? language, CancellationToken ct)
    {
        if (Open(token, language) is not { } feed) return null;
        if (feed.Target.Kind != FeedTarget.Organisation || feed.Target.Id != BookingOrganisation.HostId || elsewhere is null)
            return new FeedDocument(feed.Name, FeedCalendar.Write(feed.Name, feed.Events));
        var now = clock.GetUtcNow();
        var window = (From: now - Behind, To: now + Ahead);
        var held = (await elsewhere.HeldAsync(ct)).Where(b => b.End > window.From && b.Start < window.To).Select(b => new FeedEvent(
            ElsewhereUid(b.Place, b.Booking), b.Start, b.End,
            string.Format(CalendarText.In(feed.Language, "SummaryWho"), b.ResourceName.In(feed.Language) ?? b.Resource, b.PlaceName.In(feed.Language) ?? b.Place,
                CalendarText.In(feed.Language, "State_" + b.State)),
            FeedCalendar.StatusOf(b.State), (int)Math.Clamp(b.Revision - 1, 0, int.MaxValue), b.UpdatedAt ?? b.Start));
        return new FeedDocument(feed.Name, FeedCalendar.Write(feed.Name, feed.Events.Concat(held)));
    }

    /// <summary>Stable per booking elsewhere, naming neither the place nor its record id: a digest of both.</summary>
    public static string ElsewhereUid(string place, string bookingId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{place}#{bookingId}")))[..32] + "@place.commons-node";

    private sealed record OpenFeed(FeedTarget Target, string Language, string Name, IReadOnlyList<FeedEvent> Events);

    private OpenFeed? Open(string token, string? language)
    {
        var (stored, resource) = modules.Read(PlaceIndex.Module, d =>
        {
            var found = new FeedTokens(d).Find(token);
            return (found, found?.Target.Kind == FeedTarget.Resource ? new PlaceIndex(d).Resource(found.Target.Id) : null);
        });
        if (stored is null || (stored.Target.Kind == FeedTarget.Resource && resource is null)) return null;
        var lang = language is not null && Languages.Contains(language) ? language : stored.Language;
        var bookings = directory.Bookings();
        var now = clock.GetUtcNow();
        var window = (From: now - Behind, To: now + Ahead);

        if (stored.Target.Kind == FeedTarget.Resource)
        {
            var name = NameOf(resource, stored.Target.Id).In(lang) ?? stored.Target.Id;
            var shareWho = bookings is not null && !bookings.ExcludedFields.Contains("organisation");
            var events = bookings is null ? [] : BookingRecords.Of(store, bookings, "resource", stored.Target.Id)
                .Where(b => InWindow(b.Booking, window))
                .Select(b => Event(bookings, b, string.Format(CalendarText.In(lang, "SummaryWho"), name,
                    shareWho ? Who(b.Booking) : CalendarText.In(lang, "Booked"), State(lang, b.Booking)))).ToList();
            return new OpenFeed(stored.Target, lang, name, events);
        }

        var organisation = BookingOrganisation.Of(stored.Target.Id, node);
        var names = new Dictionary<string, string>();
        var mine = bookings is null ? [] : (organisation.IsHost ? BookingRecords.Of(store, bookings) : BookingRecords.Of(store, bookings, "bookedBy", organisation.Id))
            .Where(b => BookingOrganisation.IdOf(b.Booking) == organisation.Id && InWindow(b.Booking, window))
            .Select(b => Event(bookings, b, string.Format(CalendarText.In(lang, "Summary"), ResourceName(names, b.Booking.Resource, lang), State(lang, b.Booking)))).ToList();
        return new OpenFeed(stored.Target, lang, organisation.Name, mine);
    }

    private void RequireManager(Caller caller, FeedTarget target)
    {
        DatasetAccess.RequireWrite(caller);
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        if (target.Kind == FeedTarget.Organisation)
        {
            // On this node only its own organisation has members: another node's members manage its feed there.
            if (target.Id != BookingOrganisation.HostId) throw new NotFoundException($"no organisation '{target.Id}' here");
            return;
        }
        if (target.Kind != FeedTarget.Resource) throw new NotFoundException($"no feed of '{target.Kind}'");
        var indexed = modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(target.Id));
        if (indexed is null || directory.Find(indexed.Dataset) is not { } dataset) throw new NotFoundException($"no resource '{target.Id}'");
        if (!DatasetAccess.CanSee(caller, dataset)) throw new NotFoundException($"no resource '{target.Id}'");
        if (DatasetAccess.LevelOf(caller, dataset) < AccessLevel.Steward)
            throw new ForbiddenException($"only a steward of '{dataset.Slug}' manages the calendar of its resources");
    }

    private static bool InWindow(Booking b, (DateTimeOffset From, DateTimeOffset To) window) => b.End > window.From && b.Start < window.To;

    private static FeedEvent Event(Dataset bookings, BookingRecord b, string summary) => new(
        Uid(bookings, b.Record.Id), b.Booking.Start, b.Booking.End, summary, FeedCalendar.StatusOf(b.Booking.State),
        (int)Math.Min(b.Record.Revision - 1, int.MaxValue), b.Record.UpdatedAt);

    /// <summary>Stable per booking, and no record id or dataset name of a dataset the feed's reader may not see: a digest of both.</summary>
    public static string Uid(Dataset bookings, string recordId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{bookings.Slug}/{recordId}")))[..32] + "@place.commons-node";

    private string Who(Booking b) => b.Organisation is { Length: > 0 } named ? named : BookingOrganisation.Of(BookingOrganisation.IdOf(b), node).Name;

    private static string State(string lang, Booking b) => CalendarText.In(lang, "State_" + b.State);

    private string ResourceName(Dictionary<string, string> names, string id, string lang)
    {
        if (names.TryGetValue(id, out var known)) return known;
        var indexed = modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(id));
        return names[id] = NameOf(indexed, id).In(lang) ?? id;
    }

    private static LocalizedText NameOf(PlaceIndex.IndexedResource? resource, string id) =>
        resource is not null && resource.Data.TryGetProperty("name", out var n)
            ? new LocalizedText(Text(n, "fr"), Text(n, "nl"), Text(n, "en"))
            : new LocalizedText(null, null, id);

    private static string? Text(System.Text.Json.JsonElement name, string language) => name.TryGetProperty(language, out var t) ? t.GetString() : null;

    private static FeedView View(FeedTokens tokens, FeedTarget target, LocalizedText name) =>
        tokens.Of(target) is { } s ? new FeedView(target, name, true, s.Language, s.Since, s.By) : new FeedView(target, name, false, null, null, null);
}
