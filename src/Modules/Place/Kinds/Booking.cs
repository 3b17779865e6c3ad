using System.Text.Json;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// A booking's states (schema v2): pending (awaiting a steward's approval) and confirmed hold the resource's time;
/// cancelled (by its booker or a steward) and refused (by a steward) hold nothing and stay for the record.
/// </summary>
public static class BookingStates
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
    public const string Refused = "refused";

    /// <summary>True for the states that hold the resource's time: no two of them overlap on one resource.</summary>
    public static bool Holds(string state) => state is Confirmed or Pending;
}

/// <summary>
/// A place.bookings record's data as the rules read it (the schema has already checked its shape). <see cref="Late"/>:
/// cancelled after the resource's cancellation deadline; <see cref="RequestId"/>: the request activity a peer's booking
/// answers (so a steward's approval answers that exchange).
/// </summary>
public sealed record Booking(
    string Resource, DateTimeOffset Start, DateTimeOffset End, string BookedBy, string State, string? Purpose, string? Organisation,
    bool Late = false, DateTimeOffset? CancelledAt = null, string? RequestId = null)
{
    public bool IsConfirmed => State == BookingStates.Confirmed;
    public bool Holds => BookingStates.Holds(State);
    public TimeSpan Length => End - Start;

    public static Booking Of(JsonElement data) => new(
        data.GetProperty("resource").GetString()!,
        PlaceTime.Parse(data.GetProperty("start")),
        PlaceTime.Parse(data.GetProperty("end")),
        data.GetProperty("bookedBy").GetString()!,
        data.GetProperty("state").GetString()!,
        data.TryGetProperty("purpose", out var p) ? p.GetString() : null,
        data.TryGetProperty("organisation", out var o) ? o.GetString() : null,
        data.TryGetProperty("late", out var late) && late.ValueKind == JsonValueKind.True,
        data.TryGetProperty("cancelledAt", out var at) ? PlaceTime.Parse(at) : null,
        data.TryGetProperty("requestId", out var r) ? r.GetString() : null);

    /// <summary>The record data, times written with their Brussels offset.</summary>
    public JsonElement ToData()
    {
        var data = new Dictionary<string, object>
        {
            ["resource"] = Resource, ["start"] = PlaceTime.Text(Start), ["end"] = PlaceTime.Text(End), ["bookedBy"] = BookedBy, ["state"] = State,
        };
        if (!string.IsNullOrEmpty(Purpose)) data["purpose"] = Purpose;
        if (!string.IsNullOrEmpty(Organisation)) data["organisation"] = Organisation;
        if (Late) data["late"] = true;
        if (CancelledAt is { } cancelledAt) data["cancelledAt"] = PlaceTime.Text(cancelledAt);
        if (!string.IsNullOrEmpty(RequestId)) data["requestId"] = RequestId;
        return JsonSerializer.SerializeToElement(data);
    }

    /// <summary>Same resource and times: an edit of anything else keeps a booking made under older rules.</summary>
    public bool SameHold(Booking other) => Resource == other.Resource && Start == other.Start && End == other.End;
}
