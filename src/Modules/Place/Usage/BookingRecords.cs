using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Records;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Usage;

/// <summary>A booking with the record that holds it (its id, revision and last change).</summary>
public sealed record BookingRecord(Record Record, Booking Booking);

/// <summary>Reading the bookings dataset in pages, so no single read grows without bound.</summary>
public static class BookingRecords
{
    public static IEnumerable<BookingRecord> Of(IRecordStore store, Dataset bookings, string? field = null, string? value = null)
    {
        IReadOnlyList<FieldFilter> filters = field is null ? [] : [new FieldFilter(field, JsonSerializer.SerializeToElement(value))];
        string? cursor = null;
        do
        {
            var page = store.Query(bookings.Key, new RecordQuery { Filters = filters, Limit = 200, Cursor = cursor });
            foreach (var r in page.Items.Where(r => !r.Deleted)) yield return new BookingRecord(r, Booking.Of(r.Data));
            cursor = page.NextCursor;
        } while (cursor is not null);
    }
}
