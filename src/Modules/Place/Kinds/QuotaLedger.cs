using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Modules;

namespace Commons.Modules.Place.Kinds;

/// <summary>
/// The hours each organisation holds of each resource per Europe/Brussels month, kept by the bookings' rules inside
/// each write like the busy index: <c>quota/{resource}/{yyyy-MM}/{organisation}</c> — the minutes of every booking
/// that holds the resource then (pending or confirmed), by booking name, and their total. Keyed by booking so a hold
/// is counted once however often it is written, and a deleted bookings dataset's bookings can be taken out by name.
/// </summary>
public sealed class QuotaLedger(IModuleData data)
{
    private const string Quota = "quota";

    /// <summary>The minutes an organisation holds of a resource in a month (<c>yyyy-MM</c>).</summary>
    public long Minutes(string resource, string month, string organisation) =>
        Bookings(Key(resource, month, organisation)).Values.Sum();

    /// <summary>Every ledger entry: resource, month, organisation and minutes (for checks and reports).</summary>
    public IReadOnlyList<(string Resource, string Month, string Organisation, long Minutes)> All()
    {
        var all = new List<(string, string, string, long)>();
        foreach (var doc in Range(null, null))
        {
            var parts = doc.Key.Split('/');
            all.Add((string.Join('/', parts[..^2]), parts[^2], parts[^1], doc.Value.GetProperty("minutes").GetInt64()));
        }
        return all;
    }

    /// <summary>
    /// Refuses with <see cref="PlaceCodes.QuotaExceeded"/> if adding the booking would take its organisation past the
    /// resource's monthly quota in a month it touches.
    /// </summary>
    public void Check(string name, Booking booking, int quotaHours)
    {
        var organisation = Organisations.Of(booking.BookedBy);
        foreach (var (month, minutes) in PlaceTime.LocalMonths(booking.Start, booking.End))
        {
            var held = Bookings(Key(booking.Resource, month, organisation)).Where(b => b.Key != name).Sum(b => b.Value);
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
            var bookings = Bookings(key);
            bookings[name] = minutes;
            Save(key, bookings);
        }
    }

    public void Remove(string name, Booking booking)
    {
        var organisation = Organisations.Of(booking.BookedBy);
        foreach (var (month, _) in PlaceTime.LocalMonths(booking.Start, booking.End))
        {
            var key = Key(booking.Resource, month, organisation);
            var bookings = Bookings(key);
            if (bookings.Remove(name)) Save(key, bookings);
        }
    }

    /// <summary>Forgets a resource's entries (the resource is gone; its id may be used again).</summary>
    public void ForgetResource(string resource)
    {
        foreach (var doc in Range($"{resource}/", $"{resource}0")) data.Delete(Quota, doc.Key);
    }

    /// <summary>Takes out every booking of a bookings dataset (named <c>{dataset}/{id}</c>).</summary>
    public void RemoveBookingsOf(string dataset)
    {
        var prefix = dataset + "/";
        foreach (var doc in Range(null, null))
        {
            var bookings = Bookings(doc.Key);
            var kept = bookings.Where(b => !b.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary();
            if (kept.Count != bookings.Count) Save(doc.Key, kept);
        }
    }

    private static string Hours(long minutes) => minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";

    private static string Key(string resource, string month, string organisation) => $"{resource}/{month}/{organisation}";

    private Dictionary<string, long> Bookings(string key) =>
        data.Get(Quota, key) is { } doc
            ? doc.GetProperty("bookings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64())
            : [];

    private void Save(string key, Dictionary<string, long> bookings)
    {
        // An emptied entry is removed, so the ledger holds only what some booking holds.
        if (bookings.Count == 0) { data.Delete(Quota, key); return; }
        var map = new JsonObject();
        foreach (var (name, minutes) in bookings.OrderBy(b => b.Key, StringComparer.Ordinal)) map[name] = minutes;
        data.Put(Quota, key, JsonSerializer.SerializeToElement(new JsonObject { ["minutes"] = bookings.Values.Sum(), ["bookings"] = map }));
    }

    private List<ModuleDocument> Range(string? from, string? to)
    {
        const int Page = 500;
        var all = new List<ModuleDocument>();
        for (var next = from; ;)
        {
            var page = data.Range(Quota, next, to, Page);
            all.AddRange(page);
            if (page.Count < Page) return all;
            next = page[^1].Key + "\0";
        }
    }
}
