using Commons.Core.Nodes;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Usage;

/// <summary>
/// Who a booking is for, as the usage report and the feeds group bookings: this node's own organisation (a booking made
/// by one of its members, <see cref="HostId"/>) or the other node that asked for it (its actor URL, the booking's
/// <c>bookedBy</c>). <see cref="Name"/> is what people read: the node's name, or the other node's address.
/// </summary>
public sealed record BookingOrganisation(string Id, string Name)
{
    public const string HostId = "this-node";

    public bool IsHost => Id == HostId;

    /// <summary>The organisation of a booking: a peer's bookings are held by its actor URL, a member's by a username.</summary>
    public static string IdOf(Booking booking) => IsActor(booking.BookedBy) ? booking.BookedBy : HostId;

    public static BookingOrganisation Of(string id, INodeStore node) =>
        id == HostId ? new(HostId, node.Get()?.Name ?? HostId) : new(id, new Uri(id).Authority);

    private static bool IsActor(string bookedBy) =>
        Uri.TryCreate(bookedBy, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
