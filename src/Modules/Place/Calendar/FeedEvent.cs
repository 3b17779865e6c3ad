using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Commons.Modules.Place.Calendar;

/// <summary>One booking as a feed shows it. <see cref="Sequence"/> and <see cref="LastModified"/> come from the record's revision.</summary>
public sealed record FeedEvent(string Uid, DateTimeOffset Start, DateTimeOffset End, string Summary, string Status, int Sequence, DateTimeOffset LastModified);

/// <summary>
/// Writes a feed as iCalendar (RFC 5545) with Ical.Net. Times are UTC instants (<c>20261025T003000Z</c>), not
/// Europe/Brussels wall-clock times with a VTIMEZONE: a booking in the hour repeated when summer time ends (25 October
/// 2026, 02:00–03:00 twice) has no unambiguous local time — RFC 5545 reads such a time as its first occurrence — and a
/// VTIMEZONE copied from this node's time-zone data may disagree with the reader's. An instant is exact in every
/// program, which shows it on the reader's own clock (in Brussels, the wall-clock time of the booking).
/// </summary>
public static class FeedCalendar
{
    public const string MediaType = "text/calendar";

    public static string Write(string name, IEnumerable<FeedEvent> events)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//Commons Node//Shared place//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var e in events)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = e.Uid,
                DtStart = Utc(e.Start),
                DtEnd = Utc(e.End),
                Summary = e.Summary,
                Status = e.Status,
                Sequence = e.Sequence,
                LastModified = Utc(e.LastModified),
                // The feed's own change time, not the time of the fetch: the same bookings give the same text (and ETag).
                DtStamp = Utc(e.LastModified),
            });
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>RFC 5545's status of a booking: pending is tentative; cancelled and refused ones stay as cancelled, so programs drop them.</summary>
    public static string StatusOf(string state) => state switch
    {
        Kinds.BookingStates.Confirmed => EventStatus.Confirmed,
        Kinds.BookingStates.Pending => EventStatus.Tentative,
        _ => EventStatus.Cancelled,
    };

    private static CalDateTime Utc(DateTimeOffset instant) => new(instant.UtcDateTime, CalDateTime.UtcTzId);
}
