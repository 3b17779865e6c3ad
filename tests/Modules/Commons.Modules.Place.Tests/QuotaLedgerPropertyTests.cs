using Commons.Core.Errors;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Tests.Support;
using FsCheck.Xunit;

namespace Commons.Modules.Place.Tests;

/// <summary>
/// Whatever members and nodes book, have refused and cancel, in whatever order, the quota ledger kept inside the
/// writes equals the hours recomputed from the records that hold their time, and no organisation is over its quota.
/// </summary>
public sealed class QuotaLedgerPropertyTests
{
    private static readonly string[] Holders = ["alice", "bob", PlaceTerms.Partner, "https://partner.example:8443/datasets/rooms"];
    private static readonly DateTime FirstDay = new(2026, 3, 24);

    [Property(MaxTest = 25)]
    public bool The_ledger_equals_the_hours_recomputed_from_the_records(byte[]? steps)
    {
        using var node = new PlaceNode().WithStudio(quotaHours: 8);
        var bytes = steps ?? [];
        for (var i = 0; i + 2 < Math.Min(bytes.Length, 90); i += 3) Step(node, bytes[i], bytes[i + 1], bytes[i + 2]);

        var records = node.Place.Bookings(PlaceNode.Admin).Select(v => v.Booking).Where(b => b.Holds).ToList();
        var expected = records
            .SelectMany(b => PlaceTime.LocalMonths(b.Start, b.End).Select(m => (b.Resource, m.Month, Organisation: Organisations.Of(b.BookedBy), m.Minutes)))
            .GroupBy(x => (x.Resource, x.Month, x.Organisation))
            .Select(g => (g.Key.Resource, g.Key.Month, g.Key.Organisation, Minutes: g.Sum(x => x.Minutes)))
            .Order().ToList();
        var ledger = node.Ledger().Order().ToList();
        return expected.SequenceEqual(ledger) && ledger.Where(l => l.Resource == "studio").All(l => l.Minutes <= 8 * 60);
    }

    /// <summary>Book (two steps in three) or cancel a booking that holds its time; a refusal by a rule is part of the game.</summary>
    private static void Step(PlaceNode node, byte what, byte when, byte who)
    {
        try
        {
            if (what % 3 < 2)
            {
                var start = PlaceTime.FromLocal(FirstDay.AddDays(when % 45).AddHours(who % 24));
                var end = start.AddMinutes(30 + 30 * (what % 12));
                var state = (what & 0x80) == 0 ? BookingStates.Confirmed : BookingStates.Pending;
                node.Write(PlaceTime.Text(start), PlaceTime.Text(end), Holders[(who >> 5) % Holders.Length], state, (what & 0x40) == 0 ? "studio" : "van");
            }
            else
            {
                var holding = node.Place.Bookings(PlaceNode.Admin).Where(b => b.Booking.Holds).ToList();
                if (holding.Count > 0) node.CancelAsThePlaceDoes(holding[(when + who) % holding.Count].Id);
            }
        }
        catch (CommonsException) { }
        node.Clock.Advance(TimeSpan.FromMinutes(when % 7));
    }
}
