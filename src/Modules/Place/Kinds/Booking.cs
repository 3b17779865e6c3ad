using System.Text.Json;

namespace Commons.Modules.Place.Kinds;

public static class BookingStates
{
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
}

/// <summary>A place.bookings record's data as the rules read it (the schema has already checked its shape).</summary>
public sealed record Booking(string Resource, DateTimeOffset Start, DateTimeOffset End, string BookedBy, string State, string? Purpose, string? Organisation)
{
    public bool IsConfirmed => State == BookingStates.Confirmed;
    public TimeSpan Length => End - Start;

    public static Booking Of(JsonElement data) => new(
        data.GetProperty("resource").GetString()!,
        PlaceTime.Parse(data.GetProperty("start")),
        PlaceTime.Parse(data.GetProperty("end")),
        data.GetProperty("bookedBy").GetString()!,
        data.GetProperty("state").GetString()!,
        data.TryGetProperty("purpose", out var p) ? p.GetString() : null,
        data.TryGetProperty("organisation", out var o) ? o.GetString() : null);

    /// <summary>The record data of a new confirmed booking, times written with their Brussels offset.</summary>
    public JsonElement ToData()
    {
        var data = new Dictionary<string, string>
        {
            ["resource"] = Resource, ["start"] = PlaceTime.Text(Start), ["end"] = PlaceTime.Text(End), ["bookedBy"] = BookedBy, ["state"] = State,
        };
        if (!string.IsNullOrEmpty(Purpose)) data["purpose"] = Purpose;
        if (!string.IsNullOrEmpty(Organisation)) data["organisation"] = Organisation;
        return JsonSerializer.SerializeToElement(data);
    }

    /// <summary>Same resource and times: an edit of anything else keeps a booking made under older rules.</summary>
    public bool SameHold(Booking other) => Resource == other.Resource && Start == other.Start && End == other.End;
}
