using Commons.Modules.Place.Calendar;
using Commons.Modules.Place.Kinds;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary>The iCalendar writer alone: every state of a booking (schema v2's pending and refused included) and its fields survive Ical.Net's parse.</summary>
public sealed class FeedCalendarTests
{
    [Theory]
    [InlineData(BookingStates.Confirmed, "CONFIRMED")]
    [InlineData(BookingStates.Pending, "TENTATIVE")]
    [InlineData(BookingStates.Cancelled, "CANCELLED")]
    [InlineData(BookingStates.Refused, "CANCELLED")]
    public void Each_state_is_written_and_read_back_with_its_status(string state, string status)
    {
        var changed = At("2026-10-20T08:15:42Z");
        var written = FeedCalendar.Write("Salle « Aurore », 1er étage; côté cour", [
            new FeedEvent("abc@place.commons-node", At("2026-10-25T02:30:00+01:00"), At("2026-10-25T03:15:00+01:00"),
                "Salle, étage; «\u00A0test\u00A0» \\ fin", FeedCalendar.StatusOf(state), 3, changed),
        ]);
        var e = Ical.Net.Calendar.Load(written)!.Events.Single();
        Assert.Equal(("abc@place.commons-node", status, 3), (e.Uid, e.Status, e.Sequence));
        Assert.Equal("Salle, étage; «\u00A0test\u00A0» \\ fin", e.Summary);
        Assert.Equal(At("2026-10-25T01:30:00Z").UtcDateTime, e.DtStart!.AsUtc);
        Assert.Equal(TimeSpan.FromMinutes(45), e.DtEnd!.AsUtc - e.DtStart.AsUtc);
        Assert.Equal(changed.UtcDateTime, e.LastModified!.AsUtc);
        Assert.Equal(changed.UtcDateTime, e.DtStamp!.AsUtc);
        // RFC 5545: CRLF line ends, lines folded at 75 octets.
        Assert.All(written.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
    }
}
