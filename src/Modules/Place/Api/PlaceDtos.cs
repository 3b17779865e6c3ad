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
