using System.Text.Json;
using Commons.Core.Modules;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// The hours each organisation holds of each resource per Europe/Brussels month, kept by the bookings' rules inside
/// each write like the busy index: <c>quota/{resource}/{yyyy-MM}/{organisation}</c> — the total minutes of the
/// bookings that hold the resource then (pending or confirmed) — and, under it in <c>quota-held</c>, each booking's
/// share by name, so a hold is counted once however often it is written and a deleted bookings dataset's bookings can
/// be taken out. A write reads and writes a few small documents whatever the number of bookings in the month.
/// </summary>
public sealed class QuotaLedger(IModuleData data)
{
    private const string Quota = "quota";
    private const string Held = "quota-held";

    /// <summary>The minutes an organisation holds of a resource in a month (<c>yyyy-MM</c>).</summary>
    public long Minutes(string resource, string month, string organisation) => Total(Key(resource, month, organisation));

    /// <summary>Every ledger entry: resource, month, organisation and minutes (for checks and reports).</summary>
    public IReadOnlyList<(string Resource, string Month, string Organisation, long Minutes)> All() =>
        Range(Quota, null, null).Select(doc =>
        {
            var parts = doc.Key.Split('/');
            return (parts[0], parts[1], parts[2], doc.Value.GetProperty("minutes").GetInt64());
        }).ToList();

    /// <summary>
    /// Refuses with <see cref="PlaceCodes.QuotaExceeded"/> if adding the booking would take its organisation past the
    /// resource's monthly quota in a month it touches.
    /// </summary>
    public void Check(string name, Booking booking, int quotaHours)
    {
        var organisation = Organisations.Of(booking.BookedBy);
        foreach (var (month, minutes) in PlaceTime.LocalMonths(booking.Start, booking.End))
        {
            var key = Key(booking.Resource, month, organisation);
            var held = Total(key) - Share(key, name);
            if (held + minutes > quotaHours * 60L)
                throw new Core.Kinds.RuleConflictException(PlaceCodes.QuotaExceeded, "Monthly quota reached",
                    $"'{booking.Resource}' may be held {quotaHours} hours per month per organisation; {organisation} already holds {Hours(held)} in {month} and this booking adds {Hours(minutes)}");
        }
    }

    public void Add(string name, Booking booking)
    {
        var organisation = Organisations.Of(booking.BookedBy);
        foreach (var (month, minutes) in PlaceTime.LocalMonths(booking.Start, booking.End))
        {
            var key = Key(booking.Resource, month, organisation);
            SaveTotal(key, Total(key) - Share(key, name) + minutes);
            data.Put(Held, $"{key}/{name}", Minutes(minutes));
        }
    }

    public void Remove(string name, Booking booking)
    {
        var organisation = Organisations.Of(booking.BookedBy);
        foreach (var (month, _) in PlaceTime.LocalMonths(booking.Start, booking.End))
            Take(Key(booking.Resource, month, organisation), name);
    }

    /// <summary>Forgets a resource's entries (the resource is gone; its id may be used again).</summary>
    public void ForgetResource(string resource)
    {
        foreach (var collection in new[] { Quota, Held })
            foreach (var doc in Range(collection, $"{resource}/", $"{resource}0")) data.Delete(collection, doc.Key);
    }

    /// <summary>Takes out every booking of a bookings dataset (named <c>{dataset}/{id}</c>).</summary>
    public void RemoveBookingsOf(string dataset)
    {
        foreach (var doc in Range(Held, null, null))
        {
            // {resource}/{month}/{organisation}/{dataset}/{id}
            var parts = doc.Key.Split('/');
            if (parts[3] == dataset) Take(string.Join('/', parts[..3]), string.Join('/', parts[3..]));
        }
    }

    private void Take(string key, string name)
    {
        var share = Share(key, name);
        if (!data.Delete(Held, $"{key}/{name}")) return;
        SaveTotal(key, Total(key) - share);
    }

    private static string Hours(long minutes) => minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";

    private static string Key(string resource, string month, string organisation) => $"{resource}/{month}/{organisation}";

    private static JsonElement Minutes(long minutes) => JsonSerializer.SerializeToElement(new { minutes });

    private long Total(string key) => data.Get(Quota, key) is { } doc ? doc.GetProperty("minutes").GetInt64() : 0;

    private long Share(string key, string name) => data.Get(Held, $"{key}/{name}") is { } doc ? doc.GetProperty("minutes").GetInt64() : 0;

    private void SaveTotal(string key, long minutes)
    {
        // An emptied entry is removed, so the ledger holds only what some booking holds.
        if (minutes == 0) data.Delete(Quota, key);
        else data.Put(Quota, key, Minutes(minutes));
    }

    private List<ModuleDocument> Range(string collection, string? from, string? to)
    {
        const int Page = 500;
        var all = new List<ModuleDocument>();
        for (var next = from; ;)
        {
            var page = data.Range(collection, next, to, Page);
            all.AddRange(page);
            if (page.Count < Page) return all;
            next = page[^1].Key + "\0";
        }
    }
}
