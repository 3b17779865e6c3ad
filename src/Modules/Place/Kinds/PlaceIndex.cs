using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Modules;

namespace Commons.Modules.Place.Kinds;

/// <summary>One holding booking's hold on a resource: the booking is named <c>{bookings dataset}/{record id}</c>.</summary>
public sealed record BusyInterval(DateTimeOffset Start, DateTimeOffset End, string Booking);

/// <summary>
/// The place's own documents, kept by the kinds' rules inside each record's write so they always agree with the
/// records: <c>resources/{id}</c> — the resource's rules and the dataset holding it; <c>busy/{resource}/{UTC day}</c>
/// — the intervals of the bookings that hold the resource (pending or confirmed) touching that day, in start order;
/// <c>quota/{resource}/{month}/{organisation}</c> — the minutes they hold per organisation and Brussels month
/// (<see cref="QuotaLedger"/>). A booking reads a handful of small documents whatever the number of bookings.
/// </summary>
public sealed class PlaceIndex(IModuleData data)
{
    public const string Module = "place";
    private const string Resources = "resources";
    private const string Busy = "busy";

    public sealed record IndexedResource(string Dataset, JsonElement Data);

    /// <summary>The hours each organisation holds of each resource per month (<see cref="QuotaLedger"/>).</summary>
    public QuotaLedger Quota { get; } = new(data);

    public IndexedResource? Resource(string id) =>
        data.Get(Resources, id) is { } doc ? new IndexedResource(doc.GetProperty("dataset").GetString()!, doc.GetProperty("data")) : null;

    public void PutResource(string id, string dataset, JsonElement resource) =>
        data.Put(Resources, id, JsonSerializer.SerializeToElement(new { dataset, data = resource }));

    public void RemoveResource(string id) => data.Delete(Resources, id);

    /// <summary>
    /// The resource's intervals that overlap [from, to), in start order, each once: the busy days of the range in one
    /// range read (keys <c>{resource}/{yyyy-MM-dd}</c> sort by date; a resource id holds no '/'), not a read per day.
    /// </summary>
    public IReadOnlyList<BusyInterval> BusyBetween(string resource, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return [];
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        var afterLast = DateOnly.FromDateTime(to.UtcDateTime).AddDays(1);
        return All(Busy, DayKey(resource, first), DayKey(resource, afterLast))
            .SelectMany(doc => Intervals(doc.Value))
            .Where(i => i.Start < to && from < i.End)
            .DistinctBy(i => i.Booking)
            .OrderBy(i => i.Start)
            .ToList();
    }

    /// <summary>True if some day from <paramref name="from"/> on still holds a booking of the resource.</summary>
    public bool HasBookingsFrom(string resource, DateTimeOffset from) =>
        data.Range(Busy, $"{resource}/{PlaceTime.DayKey(DateOnly.FromDateTime(from.UtcDateTime))}", $"{resource}0", 1).Count > 0;

    public void Hold(string resource, BusyInterval interval)
    {
        foreach (var day in PlaceTime.UtcDays(interval.Start, interval.End))
            Save(resource, day, Day(resource, day).Append(interval).OrderBy(i => i.Start).ToList());
    }

    public void Release(string resource, BusyInterval interval)
    {
        foreach (var day in PlaceTime.UtcDays(interval.Start, interval.End))
            Save(resource, day, Day(resource, day).Where(i => i.Booking != interval.Booking).ToList());
    }

    /// <summary>The ids of the resources a resources dataset holds.</summary>
    public IReadOnlyList<string> ResourcesOf(string dataset) =>
        All(Resources, null, null).Where(d => d.Value.GetProperty("dataset").GetString() == dataset).Select(d => d.Key).ToList();

    /// <summary>Forgets a resource: its entry and every day of holds on it (past ones too — the id may be used again).</summary>
    public void ForgetResource(string id)
    {
        data.Delete(Resources, id);
        foreach (var day in All(Busy, $"{id}/", $"{id}0")) data.Delete(Busy, day.Key);
        Quota.ForgetResource(id);
    }

    /// <summary>Releases every hold of the bookings a bookings dataset holds (its bookings are named <c>{dataset}/{id}</c>).</summary>
    public void ReleaseBookingsOf(string dataset)
    {
        var prefix = dataset + "/";
        foreach (var doc in All(Busy, null, null))
        {
            var slash = doc.Key.LastIndexOf('/');
            var (resource, day) = (doc.Key[..slash], DateOnly.ParseExact(doc.Key[(slash + 1)..], PlaceTime.DayKeyFormat, System.Globalization.CultureInfo.InvariantCulture));
            var intervals = Day(resource, day);
            var kept = intervals.Where(i => !i.Booking.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (kept.Count != intervals.Count) Save(resource, day, kept);
        }
        Quota.RemoveBookingsOf(dataset);
    }

    /// <summary>Every document of a collection in [from, to), read in pages so no single read grows without bound.</summary>
    private List<ModuleDocument> All(string collection, string? from, string? to)
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

    private List<BusyInterval> Day(string resource, DateOnly day) => data.Get(Busy, DayKey(resource, day)) is { } doc ? Intervals(doc) : [];

    private static List<BusyInterval> Intervals(JsonElement doc) =>
        doc.GetProperty("intervals").EnumerateArray().Select(i => new BusyInterval(
            PlaceTime.Parse(i.GetProperty("start")), PlaceTime.Parse(i.GetProperty("end")), i.GetProperty("booking").GetString()!)).ToList();

    private void Save(string resource, DateOnly day, List<BusyInterval> intervals)
    {
        // An emptied day is removed, so "any day left from today on" is one range read.
        if (intervals.Count == 0) { data.Delete(Busy, DayKey(resource, day)); return; }
        var list = new JsonArray(intervals.Select(i => (JsonNode)new JsonObject
        {
            ["start"] = i.Start.UtcDateTime.ToString("O"), ["end"] = i.End.UtcDateTime.ToString("O"), ["booking"] = i.Booking,
        }).ToArray());
        data.Put(Busy, DayKey(resource, day), JsonSerializer.SerializeToElement(new JsonObject { ["intervals"] = list }));
    }

    private static string DayKey(string resource, DateOnly day) => $"{resource}/{PlaceTime.DayKey(day)}";
}
