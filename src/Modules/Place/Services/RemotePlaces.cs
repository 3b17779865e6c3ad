using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Requests;
using Commons.Modules.Place.Views;

namespace Commons.Modules.Place.Services;

/// <summary>
/// The places this node follows, from a member's side: their resources (the replica), their free time (asked of the
/// owner, who alone knows it), booking and cancelling there (requests from this node's actor, on the member's behalf),
/// and the member's bookings elsewhere, whose state the owner's <c>mine</c> view tells. The owner decides everything;
/// this node keeps the last answer it had, to show while the owner cannot be reached.
/// </summary>
public sealed class RemotePlaces(
    ISubscriptionStore subscriptions, IReplicaStore replicas, IRemoteDatasetViews views, IExchangeGateway exchanges, IModuleStore modules, TimeProvider clock)
{
    private const string KnownViews = "elsewhere";
    private const int MostBookings = 200;

    public IReadOnlyList<RemotePlace> Places(Caller caller)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        return Followed().Select(s => new RemotePlace(s.Id, s.DatasetActor, NameOf(s), Resources(s.Id))).ToList();
    }

    public RemotePlace Place(Caller caller, string subscription) =>
        Places(caller).FirstOrDefault(p => p.Subscription == subscription) ?? throw new NotFoundException($"no followed place '{subscription}'");

    /// <summary>The free time of a followed place's resources (or one), as its owner publishes it; origin_unreachable when it cannot be asked.</summary>
    public async Task<IReadOnlyList<RemoteSlots>> SlotsAsync(Caller caller, string subscription, string? resource, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var place = Place(caller, subscription);
        var query = new Dictionary<string, string>();
        if (resource is not null) query["resource"] = resource;
        if (from is { } f) query["from"] = PlaceTime.Text(f);
        if (to is { } t) query["to"] = PlaceTime.Text(t);
        var view = await views.FetchAsync(place.DatasetActor, SlotsView.ViewName, query, ct);
        return view.GetProperty("resources").EnumerateArray().Select(r => new RemoteSlots(
            r.GetProperty("id").GetString()!,
            r.GetProperty("free").EnumerateArray().Select(s => new TimeRange(PlaceTime.Parse(s.GetProperty("start")), PlaceTime.Parse(s.GetProperty("end")))).ToList()))
            .ToList();
    }

    /// <summary>Asks the place's owner to book; the answer comes later (the request's state, then the booking's).</summary>
    public async Task<Exchange> BookAsync(Caller caller, RemoteBookingRequest request, CancellationToken ct)
    {
        DatasetAccess.RequireWrite(caller);
        var place = Place(caller, request.Subscription);
        if (place.Resources.All(r => r.Id != request.Resource))
            throw new RuleViolationException(PlaceCodes.UnknownResource, "Unknown resource", $"the place has no resource '{request.Resource}'", "resource");
        if (request.End <= request.Start)
            throw new RuleViolationException(PlaceCodes.BookingEndsBeforeStart, "Ends before it starts", "a booking ends after it starts", "end");
        var body = new Dictionary<string, string> { ["resource"] = request.Resource, ["start"] = PlaceTime.Text(request.Start), ["end"] = PlaceTime.Text(request.End) };
        if (!string.IsNullOrWhiteSpace(request.Purpose)) body["purpose"] = request.Purpose.Trim();
        if (!string.IsNullOrWhiteSpace(request.Organisation)) body["organisation"] = request.Organisation.Trim();
        return await exchanges.SendAsync(caller, place.DatasetActor, BookRequestHandler.Type, JsonSerializer.SerializeToElement(body), ct);
    }

    /// <summary>
    /// The member's bookings elsewhere, newest first, each place's states refreshed from its <c>mine</c> view; a place
    /// that cannot be reached shows what it said last, and is named in <see cref="RemoteBookings.Unreachable"/>.
    /// </summary>
    public async Task<RemoteBookings> MineAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var asked = exchanges.Outgoing(BookRequestHandler.Type, caller.Username, MostBookings);
        var cancels = exchanges.Outgoing(CancelRequestHandler.Type, caller.Username, MostBookings);
        var unreachable = new Dictionary<string, DateTimeOffset?>();
        var known = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>();
        foreach (var actor in asked.Select(e => e.TargetActor).Distinct())
        {
            var (view, at, fresh) = await MineOfAsync(actor, ct);
            if (!fresh) unreachable[actor] = at;
            known[actor] = ByRequest(view);
        }
        var items = asked.Select(e => Compose(e, known[e.TargetActor], cancels)).OfType<RemoteBooking>().ToList();
        return new RemoteBookings(items, unreachable);
    }

    /// <summary>Asks the owner to cancel one of the member's bookings elsewhere (by its id, or by its request while the id is not known yet).</summary>
    public async Task<Exchange> CancelAsync(Caller caller, string reference, CancellationToken ct)
    {
        DatasetAccess.RequireWrite(caller);
        var mine = await MineAsync(caller, ct);
        var booking = mine.Items.FirstOrDefault(b => b.Ref == reference) ?? throw new NotFoundException($"no booking elsewhere '{reference}'");
        if (!booking.MayCancel)
            throw new ConflictException($"the booking is {booking.State}{(booking.CancelAsked ? ", its cancellation asked" : "")}; nothing to cancel", PlaceCodes.BookingNotPending);
        var body = booking.BookingId is { } id ? new Dictionary<string, string> { ["booking"] = id } : new() { ["request"] = booking.Request.Id };
        return await exchanges.SendAsync(caller, booking.Request.TargetActor, CancelRequestHandler.Type, JsonSerializer.SerializeToElement(body), ct);
    }

    /// <summary>
    /// Every booking this node holds at the places it follows — its organisation's, whichever member asked — as each
    /// owner's <c>mine</c> view tells them; the last answer kept for a place that cannot be asked now. No caller: the
    /// organisation's calendar feed reads it by its secret link.
    /// </summary>
    public async Task<IReadOnlyList<HeldElsewhere>> HeldAsync(CancellationToken ct)
    {
        var held = new List<HeldElsewhere>();
        foreach (var s in Followed())
        {
            var (view, _, _) = await MineOfAsync(s.DatasetActor, ct);
            if (view.ValueKind != JsonValueKind.Object || !view.TryGetProperty("bookings", out var list) || list.ValueKind != JsonValueKind.Array) continue;
            var resources = Resources(s.Id);
            foreach (var b in list.EnumerateArray())
            {
                if (Str(b, "booking") is not { } id || Str(b, "resource") is not { } resource || Str(b, "state") is not { } state
                    || Str(b, "start") is not { } start || Str(b, "end") is not { } end) continue;
                var name = resources.FirstOrDefault(r => r.Id == resource)?.Name ?? new LocalizedText(null, null, resource);
                held.Add(new HeldElsewhere(s.DatasetActor, NameOf(s), id, resource, name, Instant(start), Instant(end), state,
                    b.TryGetProperty("revision", out var rev) && rev.ValueKind == JsonValueKind.Number && rev.TryGetInt64(out var revision) ? revision : 1,
                    Str(b, "updatedAt") is { } updated ? Instant(updated) : null));
            }
        }
        return held;
    }

    /// <summary>The answers to the member's requests (accepted or refused) since <paramref name="since"/>, newest first; no network.</summary>
    public IReadOnlyList<Exchange> AnsweredSince(Caller caller, DateTimeOffset since) =>
        exchanges.Outgoing(BookRequestHandler.Type, caller.Username, MostBookings)
            .Where(e => e.State is ExchangeState.Accepted or ExchangeState.Refused && e.AnsweredAt >= since).ToList();

    private IEnumerable<Subscription> Followed() =>
        subscriptions.List().Where(s => s.Kind == ResourcesKind.KindName && s.State == SubscriptionState.Accepted).OrderBy(s => s.Name ?? s.DatasetActor);

    private static LocalizedText NameOf(Subscription s) => s.NameMap is { } map && !map.IsBlank() ? map : new LocalizedText(null, null, s.Name ?? s.Handle ?? s.DatasetActor);

    private List<RemoteResource> Resources(string subscription)
    {
        var all = new List<RemoteResource>();
        for (string? after = null; ;)
        {
            var page = replicas.List(subscription, after, 200);
            all.AddRange(page.Where(r => !r.Deleted).Select(r => new RemoteResource(r.RecordId, r.Data)));
            if (page.Count < 200) return all;
            after = page[^1].RecordId;
        }
    }

    /// <summary>The owner's <c>mine</c> view by request id, fresh (and kept) when it answers, else the last one kept.</summary>
    private async Task<(JsonElement View, DateTimeOffset? At, bool Fresh)> MineOfAsync(string actor, CancellationToken ct)
    {
        var key = Exchange.RefOf(actor);
        try
        {
            var view = await views.FetchAsync(actor, MineView.ViewName, new Dictionary<string, string>(), ct);
            modules.Write(PlaceIndex.Module, d => { d.Put(KnownViews, key, JsonSerializer.SerializeToElement(new { actor, at = clock.GetUtcNow(), view })); return 0; });
            return (view, clock.GetUtcNow(), true);
        }
        catch (CommonsException e) when (e.Code is ProblemCodes.OriginUnreachable or ProblemCodes.NotFound)
        {
            var kept = modules.Read(PlaceIndex.Module, d => d.Get(KnownViews, key));
            return kept is { } doc ? (doc.GetProperty("view").Clone(), doc.GetProperty("at").GetDateTimeOffset(), false) : (default, null, false);
        }
    }

    private static Dictionary<string, JsonElement> ByRequest(JsonElement view) =>
        view.ValueKind == JsonValueKind.Object && view.TryGetProperty("bookings", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(b => b.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.String)
                .GroupBy(b => b.GetProperty("request").GetString()!).ToDictionary(g => g.Key, g => g.First().Clone())
            : [];

    private static RemoteBooking? Compose(Exchange request, IReadOnlyDictionary<string, JsonElement> known, IReadOnlyList<Exchange> cancels)
    {
        var body = request.Body;
        if (Str(body, "resource") is not { } resource || Str(body, "start") is not { } start || Str(body, "end") is not { } end) return null;
        var booking = known.TryGetValue(request.Id, out var b) ? b : (JsonElement?)null;
        var id = booking is { } k ? Str(k, "booking") : request.Result is { } result ? Str(result, "booking") : null;
        var state = booking is { } s ? Str(s, "state")! : request.State switch
        {
            ExchangeState.Accepted => request.Result is { } r ? Str(r, "state") ?? BookingStates.Confirmed : BookingStates.Confirmed,
            ExchangeState.Refused => BookingStates.Refused,
            ExchangeState.Expired => "expired",
            _ => BookingStates.Pending,
        };
        var late = booking is { } l && l.TryGetProperty("late", out var lf) && lf.ValueKind == JsonValueKind.True;
        var cancelAsked = cancels.Any(c => c.TargetActor == request.TargetActor && c.State == ExchangeState.Pending
            && (Str(c.Body, "request") == request.Id || (id is not null && Str(c.Body, "booking") == id)));
        return new RemoteBooking(request, request.TargetActor, resource, Instant(start), Instant(end), state, late, id, cancelAsked)
        {
            Payment = booking is { } withPayment ? RemotePayment.Of(withPayment) : null,
        };
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
