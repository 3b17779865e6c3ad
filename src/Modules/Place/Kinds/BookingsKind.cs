using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// Who holds which resource when. Private by default: who booked what and why is about people; a steward who shares
/// the dataset still keeps the booker, organisation, purpose and the peer's request id home unless they decide
/// otherwise. Peers learn busy times from the answers to their own requests.
/// </summary>
public sealed class BookingsKind : DatasetKind
{
    public const string KindName = "place.bookings";

    /// <summary>The longest booking of a resource that sets no maximum.</summary>
    public static readonly TimeSpan LongestBooking = TimeSpan.FromDays(7);

    public override string Name => KindName;
    public override int SchemaVersion => 2;
    public override string Schema { get; } = PlaceSchemas.Read(KindName, 2);
    public override LocalizedText Title => new("Lieu partagé : réservations", "Gedeelde plek: reserveringen", "Shared place: bookings");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Private;
    public override IReadOnlyList<string> DefaultExcludedFields => ["bookedBy", "organisation", "purpose", "requestId"];
    public override IReadOnlyList<string> ProblemCodes => PlaceCodes.OfBookings;

    /// <summary>Version 1's records are version 2 records as they are: v2 only adds states and optional fields.</summary>
    public override JsonElement Upgrade(int fromVersion, JsonElement data) => fromVersion == 1 ? data : base.Upgrade(fromVersion, data);

    /// <summary>Version 1 kept no hours per organisation: each booking that holds its resource enters the quota ledger.</summary>
    public override void OnUpgraded(string dataset, int fromVersion, Record record, IModuleData data)
    {
        var booking = Booking.Of(record.Data);
        if (fromVersion == 1 && booking.Holds) new PlaceIndex(data).Quota.Add($"{dataset}/{record.Id}", booking);
    }

    /// <summary>
    /// A booking that holds its resource (pending or confirmed) names a resource, ends after it starts, holds no time
    /// another holding booking of the resource holds, and keeps its organisation within the resource's monthly quota.
    /// A new hold (a new booking, other times, a cancelled one held again) must also start in the future with the
    /// resource's notice, fit its maximum length and opening hours, avoid its closures and (if it says so) public
    /// holidays, and be held by a node the resource lets book. A cancellation (<see cref="BookingCancellation"/>)
    /// releases; so does a refusal or a deletion.
    /// </summary>
    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        var index = new PlaceIndex(data);
        var name = $"{write.Dataset.Slug}/{write.Next.Id}";
        var before = write.Previous is { } p ? Booking.Of(p.Data) : null;
        if (before is { Holds: true })
        {
            index.Release(before.Resource, new BusyInterval(before.Start, before.End, name));
            index.Quota.Remove(name, before);
        }
        if (write.IsDelete) return;
        var booking = Booking.Of(write.Next.Data);
        BookingCancellation.Check(before, booking, index, write.Next.UpdatedAt);
        if (!booking.Holds) return;

        var resource = index.Resource(booking.Resource) ?? throw new RuleViolationException(PlaceCodes.UnknownResource, "Unknown resource",
            $"there is no resource '{booking.Resource}'", "resource");
        if (booking.End <= booking.Start)
            throw new RuleViolationException(PlaceCodes.BookingEndsBeforeStart, "Ends before it starts", "a booking ends after it starts", "end");
        var terms = ResourceTerms.Of(resource.Data);
        var newHold = before is not { Holds: true } || !before.SameHold(booking);
        if (newHold) CheckNewHold(booking, resource, terms, write.Next.UpdatedAt);

        var clash = index.BusyBetween(booking.Resource, booking.Start, booking.End).FirstOrDefault(i => i.Booking != name);
        if (clash is not null)
            throw new RuleConflictException(PlaceCodes.BookingConflict, "Already booked",
                $"'{booking.Resource}' is booked from {PlaceTime.Text(clash.Start)} to {PlaceTime.Text(clash.End)}");
        // The hours already held are not judged again (a steward's approval of a pending booking after the quota was lowered).
        if (newHold && terms.QuotaHoursPerMonth is { } quota) index.Quota.Check(name, booking, quota);
        index.Hold(booking.Resource, new BusyInterval(booking.Start, booking.End, name));
        index.Quota.Add(name, booking);
    }

    private static void CheckNewHold(Booking booking, PlaceIndex.IndexedResource resource, ResourceTerms terms, DateTimeOffset now)
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
        if (terms.ClosureDuring(booking.Start, booking.End) is { } closure)
            throw new RuleViolationException(PlaceCodes.ResourceClosed, "Closed then",
                $"the resource is closed from {PlaceTime.DayKey(closure.From)} to {PlaceTime.DayKey(closure.Until)} (Europe/Brussels): {closure.ReasonIn("en")}", "start");
        if (terms.PublicHolidayDuring(booking.Start, booking.End) is { } holiday)
            throw new RuleViolationException(PlaceCodes.PublicHoliday, "Public holiday",
                $"the resource is closed on Belgian public holidays, and {PlaceTime.DayKey(holiday)} is one", "start");
        if (!terms.Admits(booking.BookedBy))
            throw new RuleViolationException(PlaceCodes.BookerNotListed, "Not among the bookers",
                $"{Organisations.HostOf(booking.BookedBy)} is not among the nodes that may book this resource", "bookedBy");
    }

    /// <summary>Deleting a bookings dataset deletes its bookings, so their holds on the resources and their hours go with them.</summary>
    public override void OnDatasetDeleted(Dataset dataset, DateTimeOffset at, IModuleData data) =>
        new PlaceIndex(data).ReleaseBookingsOf(dataset.Slug);
}
