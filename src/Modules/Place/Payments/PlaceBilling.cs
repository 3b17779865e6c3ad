using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Payments;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Usage;

namespace Commons.Modules.Place.Payments;

/// <summary>
/// What was asked of the credit module for one booking: the bill's state as last known (<c>pending</c>,
/// <c>completed</c>, <c>refused</c>, <c>expired</c>, or <c>failed</c> when the bill could not be made) and its code.
/// </summary>
public sealed record BookingPayment(string Booking, string Payer, decimal Amount, string State, string? Code, string? TransactionId, DateTimeOffset At)
{
    public const string Failed = "failed";
}

/// <summary>
/// Bills another organisation's node, through <see cref="ICreditPayments"/>, for a booking of a resource priced in
/// credit once it is confirmed: its hours × the price per hour in credit (<see cref="Prices.Credit"/>, as the usage
/// report counts it), rounded to the unit's decimals. The booking id (prefixed `place:`) is the bill's reference, so a redelivered request
/// or a second approval never bills twice. A bill that fails is recorded with its code and leaves the booking as it is.
/// No bill for this node's own members, for a resource without a credit price, or when no credit module answers (no
/// implementation, or its unit is unknown): the price then stays informative.
/// </summary>
public sealed class PlaceBilling(IModuleStore modules, TimeProvider clock, IEnumerable<ICreditPayments> providers)
{
    public const string RequestedByPlace = "place";
    private const string Collection = "payments";

    /// <summary>The bill's reference: the booking id under the place's own prefix, so no other module's reference can name the same bill.</summary>
    public static string ReferenceOf(string bookingId) => "place:" + bookingId;
    private readonly ICreditPayments? _payments = providers.FirstOrDefault();

    /// <summary>Bills the confirmed booking if it is to be billed; returns what is recorded for it (null: nothing to bill).</summary>
    public async Task<BookingPayment?> BillAsync(string bookingId, Booking booking, string requestedBy, CancellationToken ct)
    {
        if (_payments?.Unit is not { } unit || !booking.IsConfirmed || BookingOrganisation.IdOf(booking) == BookingOrganisation.HostId) return null;
        var resource = modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(booking.Resource));
        if (Prices.Of(resource?.Data).Credit(booking.Length) is not { } exact || exact <= 0) return null;
        if (Stored(bookingId) is { } known && known.State != BookingPayment.Failed) return known;

        var amount = Math.Round(exact, unit.Precision, MidpointRounding.AwayFromZero);
        var memo = $"{booking.Resource} {PlaceTime.Text(booking.Start)}/{PlaceTime.Text(booking.End)}";
        BookingPayment recorded;
        try
        {
            var bill = await _payments.BillAsync(booking.BookedBy, amount, memo, ReferenceOf(bookingId), requestedBy, ct);
            recorded = new(bookingId, booking.BookedBy, amount, bill.State, bill.Code, bill.TransactionId, clock.GetUtcNow());
        }
        catch (CommonsException e)
        {
            recorded = new(bookingId, booking.BookedBy, amount, BookingPayment.Failed, e.Code, null, clock.GetUtcNow());
        }
        catch (HttpRequestException)
        {
            recorded = new(bookingId, booking.BookedBy, amount, BookingPayment.Failed, ProblemCodes.OriginUnreachable, null, clock.GetUtcNow());
        }
        modules.Write(PlaceIndex.Module, d => { d.Put(Collection, bookingId, JsonSerializer.SerializeToElement(recorded)); return 0; });
        return recorded;
    }

    /// <summary>The booking's payment, its state refreshed from the credit module when it knows the bill; null when none was asked.</summary>
    public BookingPayment? Of(string bookingId)
    {
        if (Stored(bookingId) is not { } stored) return null;
        return stored.State != BookingPayment.Failed && _payments?.Find(ReferenceOf(bookingId)) is { } now
            ? stored with { State = now.State, Code = now.Code, TransactionId = now.TransactionId }
            : stored;
    }

    private BookingPayment? Stored(string bookingId) =>
        modules.Read(PlaceIndex.Module, d => d.Get(Collection, bookingId))?.Deserialize<BookingPayment>();
}
