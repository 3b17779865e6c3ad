using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// Who holds which resource when. Private by default: who booked what and why is about people; a steward who shares
/// the dataset still keeps the booker, organisation and purpose home unless they decide otherwise. Peers learn busy
/// times from the answers to their own requests.
/// </summary>
public sealed class BookingsKind : DatasetKind
{
    public const string KindName = "place.bookings";

    /// <summary>The longest booking of a resource that sets no maximum.</summary>
    public static readonly TimeSpan LongestBooking = TimeSpan.FromDays(7);

    public override string Name => KindName;
    public override int SchemaVersion => 1;
    public override string Schema { get; } = PlaceSchemas.Read(KindName, 1);
    public override LocalizedText Title => new("Lieu partagé : réservations", "Gedeelde plek: reserveringen", "Shared place: bookings");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Private;
    public override IReadOnlyList<string> DefaultExcludedFields => ["bookedBy", "organisation", "purpose"];
    public override IReadOnlyList<string> ProblemCodes => PlaceCodes.OfBookings;

    /// <summary>
    /// A confirmed booking names a resource, ends after it starts and holds no time another confirmed booking of the
    /// resource holds. A new hold (a new booking, other times, a cancelled one confirmed again) must also start in the
    /// future with the resource's notice, and fit its maximum length and opening hours. Cancelling or deleting releases.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new PlaceIndex(data);
        var name = $"{write.Dataset.Slug}/{write.Next.Id}";
        var before = write.Previous is { } p ? Booking.Of(p.Data) : null;
        if (before is { IsConfirmed: true }) index.Release(before.Resource, new BusyInterval(before.Start, before.End, name));
        if (write.IsDelete) return;
        var booking = Booking.Of(write.Next.Data);
        if (!booking.IsConfirmed) return;

        var resource = index.Resource(booking.Resource) ?? throw new RuleViolationException(PlaceCodes.UnknownResource, "Unknown resource",
            $"there is no resource '{booking.Resource}'", "resource");
        if (booking.End <= booking.Start)
            throw new RuleViolationException(PlaceCodes.BookingEndsBeforeStart, "Ends before it starts", "a booking ends after it starts", "end");
        if (before is not { IsConfirmed: true } || !before.SameHold(booking)) CheckNewHold(booking, resource, write.Next.UpdatedAt);

        var clash = index.BusyBetween(booking.Resource, booking.Start, booking.End).FirstOrDefault(i => i.Booking != name);
        if (clash is not null)
            throw new RuleConflictException(PlaceCodes.BookingConflict, "Already booked",
                $"'{booking.Resource}' is booked from {PlaceTime.Text(clash.Start)} to {PlaceTime.Text(clash.End)}");
        index.Hold(booking.Resource, new BusyInterval(booking.Start, booking.End, name));
    }

    private static void CheckNewHold(Booking booking, PlaceIndex.IndexedResource resource, DateTimeOffset now)
    {
        if (booking.Start < now)
            throw new RuleViolationException(PlaceCodes.BookingInPast, "In the past", "a booking starts in the future", "start");
        if (resource.Data.TryGetProperty("minNoticeMinutes", out var notice) && booking.Start < now.AddMinutes(notice.GetInt32()))
            throw new RuleViolationException(PlaceCodes.NoticeTooShort, "Notice too short",
                $"this resource is booked at least {notice.GetInt32()} minutes ahead", "start");
        var longest = resource.Data.TryGetProperty("maxLengthMinutes", out var max) ? TimeSpan.FromMinutes(max.GetInt32()) : LongestBooking;
        if (booking.Length > longest)
            throw new RuleViolationException(PlaceCodes.BookingTooLong, "Too long",
                $"this resource is booked for at most {(int)longest.TotalMinutes} minutes; this booking lasts {(int)booking.Length.TotalMinutes}", "end");
        if (!OpeningHours.Admit(OpeningHours.Of(resource.Data), booking.Start, booking.End))
            throw new RuleViolationException(PlaceCodes.OutsideOpeningHours, "Outside opening hours",
                "the booking is not within the resource's opening hours (Europe/Brussels) of the day it starts", "start");
    }

    /// <summary>Deleting a bookings dataset deletes its bookings, so their holds on the resources go with them.</summary>
    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data) =>
        new PlaceIndex(data).ReleaseBookingsOf(dataset.Slug);
}
