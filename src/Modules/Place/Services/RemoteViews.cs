using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Services;

/// <summary>A place we follow: the remote resources dataset (an accepted subscription of kind place.resources) and its replicated resources.</summary>
public sealed record RemotePlace(string Subscription, string DatasetActor, LocalizedText Name, IReadOnlyList<RemoteResource> Resources);

/// <summary>A resource of a followed place, as replicated here.</summary>
public sealed record RemoteResource(string Id, JsonElement Data)
{
    public LocalizedText Name => new(Text("fr"), Text("nl"), Text("en"));
    public string? Category => Data.TryGetProperty("category", out var c) ? c.GetString() : null;
    public bool NeedsSteward => ApprovalRules.NeedsSteward(Data);

    private string? Text(string language) =>
        Data.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.Object && n.TryGetProperty(language, out var t) ? t.GetString() : null;
}

/// <summary>A remote resource's free time, as its owner computed and published it.</summary>
public sealed record RemoteSlots(string Resource, IReadOnlyList<TimeRange> Free);

/// <summary>What a member of ours asks a followed place for.</summary>
public sealed record RemoteBookingRequest(string Subscription, string Resource, DateTimeOffset Start, DateTimeOffset End, string? Purpose, string? Organisation);

/// <summary>
/// One of our member's bookings elsewhere: the request that asked for it and, once the owner said, the booking's own
/// state (pending a steward, confirmed, cancelled, refused), late flag and id. <see cref="State"/> is the booking's
/// state when known, else the request's (pending, refused, expired).
/// </summary>
public sealed record RemoteBooking(
    Exchange Request, string Place, string Resource, DateTimeOffset Start, DateTimeOffset End, string State, bool Late, string? BookingId, bool CancelAsked)
{
    /// <summary>The bill the owner asked through the credit module for this booking, as its <c>mine</c> view tells; null when none.</summary>
    public RemotePayment? Payment { get; init; }

    public string Ref => Request.Ref;
    public string? Code => Request.State == ExchangeState.Refused ? Request.Code : null;
    public string? Detail => Request.Detail;
    /// <summary>Still holds time at the owner, so the member may cancel it.</summary>
    public bool MayCancel => BookingStates.Holds(State) && !CancelAsked;
}

/// <summary>
/// Our member's bookings elsewhere, and for each place whether its answer is fresh or the last known
/// (<see cref="Unreachable"/>: places that could not be asked now, with when they were last heard).
/// </summary>
public sealed record RemoteBookings(IReadOnlyList<RemoteBooking> Items, IReadOnlyDictionary<string, DateTimeOffset?> Unreachable);

/// <summary>
/// A bill for a booking elsewhere, as its owner tells it: the amount in the group's credit unit and its state
/// (pending, completed, refused, expired, or failed with <see cref="Code"/> when the owner could not make it).
/// </summary>
public sealed record RemotePayment(decimal Amount, string State, string? Code)
{
    public static RemotePayment? Of(JsonElement booking) =>
        booking.TryGetProperty("payment", out var p) && p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
        && p.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.String
        && decimal.TryParse(amount.GetString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? new RemotePayment(value, state.GetString()!, p.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null)
            : null;
}

/// <summary>A booking this node holds at a place it follows, as the place's <c>mine</c> view tells it (for the organisation's calendar feed).</summary>
public sealed record HeldElsewhere(
    string Place, LocalizedText PlaceName, string Booking, string Resource, LocalizedText ResourceName, DateTimeOffset Start, DateTimeOffset End,
    string State, long Revision, DateTimeOffset? UpdatedAt);
