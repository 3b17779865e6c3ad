using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using Commons.Modules.Place.Usage;

namespace Commons.Modules.Place.Views;

/// <summary>
/// The bookings a fetching node holds (<c>bookedBy</c> its verified actor) on the resources of one dataset: what the
/// <c>mine</c> and <c>usage</c> views may tell it. Never another holder's.
/// </summary>
public static class HeldBookings
{
    public static IReadOnlyList<BookingRecord> Of(PlaceDirectory directory, IRecordStore store, IModuleStore modules, string datasetSlug, string fetcher)
    {
        if (directory.Bookings() is not { } bookings) return [];
        var ofDataset = modules.Read(PlaceIndex.Module, d => new PlaceIndex(d).ResourcesOf(datasetSlug)).ToHashSet(StringComparer.Ordinal);
        return BookingRecords.Of(store, bookings, "bookedBy", fetcher)
            .Where(b => b.Booking.BookedBy == fetcher && ofDataset.Contains(b.Booking.Resource)).ToList();
    }
}

/// <summary>A booking's bill as the views tell its holder: the amount as an exact decimal string, the state and its code.</summary>
public static class PaymentJson
{
    public static object? Of(Payments.BookingPayment? payment) => payment is null ? null
        : new { amount = payment.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), state = payment.State, code = payment.Code };
}
