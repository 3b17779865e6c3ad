using Commons.Core.Records;
using Record = Commons.Core.Records.Record;
using Commons.Modules.Place.Kinds;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests.Support;

/// <summary>
/// The resource with every v2 term, for the rules' tests: the studio, closed 6–10 April 2026 and on Belgian public
/// holidays, 10 hours a month per organisation, cancelled at the latest a day ahead, booked by partner.example only
/// among the other nodes; plus snapshots of everything a refused write must leave as it was.
/// </summary>
public static class PlaceTerms
{
    public const string Partner = "https://partner.example/datasets/rooms";
    public const string Other = "https://other.example/datasets/rooms";

    public static PlaceNode WithStudio(this PlaceNode node, int quotaHours = 10)
    {
        node.WithPlace();
        node.Records.Create(Admin, "rooms", "studio", Doc($$$"""
            {"name":{"en":"Studio"},"category":"room","maxLengthMinutes":720,"quotaHoursPerMonth":{{{quotaHours}}},"cancellationDeadlineMinutes":1440,
             "publicHolidays":true,"bookers":["partner.example"],
             "closures":[{"from":"2026-04-06","until":"2026-04-10","reason":{"fr":"Peinture","nl":"Schilderwerken","en":"Painting"}}]}
            """));
        return node;
    }

    /// <summary>A booking written as any writer may, through the records API (the rules are the same on every path).</summary>
    public static Record Write(this PlaceNode node, string start, string end, string bookedBy = "alice", string state = BookingStates.Confirmed, string resource = "studio") =>
        node.Records.Create(Admin, "bookings", null, new Booking(resource, At(start), At(end), bookedBy, state, null, null).ToData()).Record;

    /// <summary>The booking cancelled as the place's services cancel it (deadline judged now).</summary>
    public static Record CancelAsThePlaceDoes(this PlaceNode node, string id)
    {
        var record = node.Booking(id)!;
        var booking = Booking.Of(record.Data);
        var terms = node.ModuleStore.Read(PlaceIndex.Module, d => new PlaceIndex(d).Resource(booking.Resource)) is { } r ? ResourceTerms.Of(r.Data) : null;
        return node.Records.Update(Admin, "bookings", id, BookingCancellation.Cancel(booking, terms, node.Clock.GetUtcNow()).ToData(), null, record.Revision).Record;
    }

    public static IReadOnlyList<(string Resource, string Month, string Organisation, long Minutes)> Ledger(this PlaceNode node) =>
        node.ModuleStore.Read(PlaceIndex.Module, d => new PlaceIndex(d).Quota.All());

    /// <summary>Everything a refused write must leave as it was: the bookings' feed and records, and every place document (busy days, quota ledger, resources).</summary>
    public static string Snapshot(this PlaceNode node)
    {
        var bookings = node.DatasetStore.Find("bookings")!.Key;
        var records = node.RecordStore.Query(bookings, new RecordQuery { Limit = 500 }).Items.Select(r => $"{r.Id}@{r.Revision}:{r.Data.GetRawText()}");
        var documents = node.ModuleStore.Read(PlaceIndex.Module, d => new[] { "resources", "busy", "quota", "quota-held" }
            .SelectMany(c => d.Range(c, null, null, 10_000).Select(doc => $"{c}/{doc.Key}={doc.Value.GetRawText()}")).ToList());
        return string.Join('\n', [$"feed {node.BookingChanges()}", .. records, .. documents]);
    }
}
