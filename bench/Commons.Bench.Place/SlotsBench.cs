using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Views;
using Commons.Storage;
using LiteDB;

namespace Commons.Bench.Place;

/// <summary>
/// <c>-- slots [--resources N --days N --repeat N]</c>: the free slots of N resources over N days, as peers read them
/// (the place's <c>slots</c> view: the resource documents and the busy days read from the node's store, opening hours,
/// closures and Belgian public holidays applied), beside a raw LiteDB read of the same documents from the same file —
/// the machine's limit for reading what the computation starts from. The busy index is written directly (a booking a
/// day per resource on weekdays); the rules that keep it are measured by the booking run.
/// </summary>
public static class SlotsBench
{
    public static int Run(string folder, int resources, int days, int repeat)
    {
        using var database = CommonsDatabase.Open(folder);
        var modules = new LiteModuleStore(database);
        var from = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero);
        var to = from.AddDays(days);
        var bookings = 0;
        modules.Write(PlaceIndex.Module, data =>
        {
            var index = new PlaceIndex(data);
            for (var r = 0; r < resources; r++)
            {
                using var doc = JsonDocument.Parse("""
                    {"name":{"fr":"Salle"},"category":"room","publicHolidays":true,
                     "closures":[{"from":"2027-07-15","until":"2027-08-15","reason":{"fr":"Congés"}}],
                     "openingHoursSpecification":[{"dayOfWeek":["monday","tuesday","wednesday","thursday","friday"],"opens":"08:00","closes":"22:00"},
                                                  {"dayOfWeek":["saturday"],"opens":"10:00","closes":"18:00"}]}
                    """);
                index.PutResource($"room-{r}", "rooms", doc.RootElement.Clone());
                for (var d = 0; d < days; d++)
                {
                    var day = from.AddDays(d);
                    if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
                    var start = day.AddHours(9 + (r + d) % 8);
                    index.Hold($"room-{r}", new BusyInterval(start, start.AddHours(2), $"bookings/b-{r}-{d}"));
                    bookings++;
                }
            }
            return 0;
        });

        var view = new SlotsView(modules);
        var dataset = new Dataset { Slug = "rooms", Title = new LocalizedText("rooms", null, null), Schema = "{}", Kind = ResourcesKind.KindName };
        var query = new Dictionary<string, string> { ["from"] = PlaceTime.Text(from), ["to"] = PlaceTime.Text(to) };
        var request = new DatasetViewRequest(dataset, SlotsView.ViewName, null, null, query, from.AddDays(-1));
        var free = view.Build(request)!.Value.GetProperty("resources").EnumerateArray().Sum(r => r.GetProperty("free").GetArrayLength());
        var computed = Time(repeat, () => view.Build(request));

        // The raw read: the same resource and busy documents straight from the collection the module store keeps them in.
        var documents = 0;
        var raw = Time(repeat, () => database.Read(() =>
        {
            var col = database.Db.GetCollection(StoreLayout.ModuleData);
            documents = col.Find(Query.StartsWith("_id", $"{PlaceIndex.Module}/")).Count();
            return documents;
        }));

        Console.WriteLine($"free slots of {resources} resources over {days} days ({bookings:N0} bookings, {free:N0} free slots, " +
            $"{Environment.ProcessorCount} cores, load {Load()}), mean of {repeat}");
        Console.WriteLine("| what | time |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| the slots view (store → JSON) | {Ms(computed)} |");
        Console.WriteLine($"| raw LiteDB: read the same {documents:N0} documents of the place | {Ms(raw)} |");
        Console.WriteLine($"ratio slots view ÷ raw read: {computed.TotalMilliseconds / raw.TotalMilliseconds:0.0}");
        return free > 0 ? 0 : 1;
    }

    private static TimeSpan Time(int repeat, Action work)
    {
        work(); // warm
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeat; i++) work();
        return watch.Elapsed / repeat;
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";
}
