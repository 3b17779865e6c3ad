using System.Text.Json;
using Commons.Core.Records;

namespace Commons.Modules.Place.Requests;

/// <summary>The booking a peer's request made, found by the request's id (kept on the booking as <c>requestId</c>).</summary>
public static class BookingsByRequest
{
    public static Record? Find(IRecordStore store, int bookingsKey, string requestId) =>
        store.Query(bookingsKey, new RecordQuery { Filters = [new FieldFilter("requestId", JsonSerializer.SerializeToElement(requestId))], Limit = 1 })
            .Items.FirstOrDefault(r => !r.Deleted);
}
