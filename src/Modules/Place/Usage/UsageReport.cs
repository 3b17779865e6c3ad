using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;

namespace Commons.Modules.Place.Usage;

/// <summary>
/// The monthly usage report per booking organisation. The hosting organisation's stewards (editors of the bookings
/// dataset) see every organisation; any other member sees their own organisation, this node's.
/// </summary>
public sealed class UsageReport(
    PlaceDirectory directory, IRecordStore store, IModuleStore modules, INodeStore node, TimeProvider clock, Payments.PlaceBilling? billing = null)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    public UsageTable Of(Caller caller, UsageMonth month)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
        var bookings = directory.Bookings();
        var everyone = SeesEveryone(caller);
        var all = bookings is null ? [] : BookingRecords.Of(store, bookings).Select(r => r.Booking);
        var prices = new Dictionary<string, Prices>();
        return UsageSums.Of(month, all,
            resource => prices.TryGetValue(resource, out var p) ? p : prices[resource] = PriceOf(resource),
            organisation => everyone || organisation == BookingOrganisation.HostId,
            organisation => BookingOrganisation.Of(organisation, node));
    }

    /// <summary>
    /// The payments asked in credit for bookings that start in the month (other organisations' confirmed bookings of
    /// resources priced in credit), soonest first; only the stewards, who see every organisation, see them.
    /// </summary>
    public IReadOnlyList<BilledBooking> Bills(Caller caller, UsageMonth month)
    {
        if (billing is null || !SeesEveryone(caller) || directory.Bookings() is not { } bookings) return [];
        return BookingRecords.Of(store, bookings).Where(b => month.Contains(b.Booking.Start) && BookingOrganisation.IdOf(b.Booking) != BookingOrganisation.HostId)
            .Select(b => billing.Of(b.Record.Id) is { } payment ? new BilledBooking(b.Record.Id, b.Booking, BookingOrganisation.Of(BookingOrganisation.IdOf(b.Booking), node), payment) : null)
            .OfType<BilledBooking>().OrderBy(b => b.Booking.Start).ToList();
    }

    /// <summary>True for the hosting organisation's stewards: those who may edit the bookings dataset.</summary>
    public bool SeesEveryone(Caller caller) => directory.Bookings() is { } bookings && caller.CanRead
        && DatasetAccess.CanSee(caller, bookings) && DatasetAccess.LevelOf(caller, bookings) >= AccessLevel.Edit;

    private Prices PriceOf(string resource) => Prices.Of(modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(resource))?.Data);
}

/// <summary>A booking by another organisation and the payment asked in credit for it.</summary>
public sealed record BilledBooking(string Id, Booking Booking, BookingOrganisation Organisation, Payments.BookingPayment Payment);
