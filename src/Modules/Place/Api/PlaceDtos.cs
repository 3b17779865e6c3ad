using System.Text.Json;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Api;

public sealed record BusyResponse(string Start, string End);

public sealed record ResourceResponse(string Id, string Dataset, JsonElement Data, IReadOnlyList<BusyResponse> Busy)
{
    public static ResourceResponse From(ResourceView v) =>
        new(v.Id, v.Dataset, v.Data, v.Busy.Select(b => new BusyResponse(PlaceTime.Text(b.Start), PlaceTime.Text(b.End))).ToList());
}

public sealed record BookingResponse(string Id, long Revision, string Resource, string Start, string End, string BookedBy, string State,
    string? Purpose, string? Organisation)
{
    public static BookingResponse From(BookingView v) => new(v.Id, v.Revision, v.Booking.Resource, PlaceTime.Text(v.Booking.Start),
        PlaceTime.Text(v.Booking.End), v.Booking.BookedBy, v.Booking.State, v.Booking.Purpose, v.Booking.Organisation);
}

/// <summary>A booking asked for: start and end are ISO 8601 instants with their offset (2026-03-29T10:00:00+02:00).</summary>
public sealed record BookingBody(string? Resource, string? Start, string? End, string? Purpose, string? Organisation)
{
    public BookingRequest ToRequest() => new(PlaceInput.Required(Resource, "resource"), PlaceInput.Instant(Start, "start"),
        PlaceInput.Instant(End, "end"), Purpose, Organisation);
}

public sealed record RemoteResourceResponse(string Id, JsonElement Data);

public sealed record RemotePlaceResponse(string Subscription, string DatasetActor, string? Name, IReadOnlyList<RemoteResourceResponse> Resources)
{
    public static RemotePlaceResponse From(RemotePlace p) =>
        new(p.Subscription, p.DatasetActor, p.Name.In("en"), p.Resources.Select(r => new RemoteResourceResponse(r.Id, r.Data)).ToList());
}

public sealed record FreeResponse(string Start, string End);

public sealed record RemoteSlotsResponse(string Resource, IReadOnlyList<FreeResponse> Free)
{
    public static RemoteSlotsResponse From(RemoteSlots s) => new(s.Resource, s.Free.Select(f => new FreeResponse(PlaceTime.Text(f.Start), PlaceTime.Text(f.End))).ToList());
}

/// <summary>A request sent to another place: its reference in this node's exchanges API and where it stands.</summary>
public sealed record RemoteRequestResponse(string Exchange, string Type, string Target, string State)
{
    public static RemoteRequestResponse From(Commons.Core.Exchanges.Exchange e) =>
        new(e.Ref, e.RequestType, e.TargetActor, e.State.ToString().ToLowerInvariant());
}

public sealed record RemoteBookingResponse(string Reference, string Place, string Resource, string Start, string End, string State, bool Late,
    string? Booking, string? Code, string? Detail, bool CancelAsked)
{
    public static RemoteBookingResponse From(RemoteBooking b) => new(b.Ref, b.Place, b.Resource, PlaceTime.Text(b.Start), PlaceTime.Text(b.End),
        b.State, b.Late, b.BookingId, b.Code, b.Detail, b.CancelAsked);
}

public sealed record UnreachableResponse(string Place, string? KnownAt);

public sealed record RemoteBookingsResponse(IReadOnlyList<RemoteBookingResponse> Items, IReadOnlyList<UnreachableResponse> Unreachable)
{
    public static RemoteBookingsResponse From(RemoteBookings b) => new(b.Items.Select(RemoteBookingResponse.From).ToList(),
        b.Unreachable.Select(u => new UnreachableResponse(u.Key, u.Value is { } at ? PlaceTime.Text(at) : null)).ToList());
}

/// <summary>A booking asked of a followed place: the subscription's id (from GET /api/place/elsewhere), the resource, instants with their offset.</summary>
public sealed record RemoteBookingBody(string? Place, string? Resource, string? Start, string? End, string? Purpose, string? Organisation)
{
    public RemoteBookingRequest ToRequest() => new(PlaceInput.Required(Place, "place"), PlaceInput.Required(Resource, "resource"),
        PlaceInput.Instant(Start, "start"), PlaceInput.Instant(End, "end"), Purpose, Organisation);
}
