using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Place;
using Commons.Modules.Place.Kinds;
using Commons.Modules.Place.Services;
using Commons.Storage;
using LiteDB;

namespace Commons.Bench.Place;

/// <summary>
/// <c>dotnet run -c Release --project bench/Commons.Bench.Place [-- --requesters N --requests N --slots N]</c> (or <c>-- slots</c>: <see cref="SlotsBench"/>): N
/// requesters at once each ask the place for one-hour bookings of the same room, at random among a fixed set of
/// slots so that many ask for a time already held, through <see cref="PlaceService.Book"/> over a real LiteDB file
/// (the rules — busy index, quota ledger, feed — in each write's transaction). Then, by as many concurrent writers,
/// the same number of documents created in a dataset of no kind (the node's own cost of a write), and inserted one by
/// one into a bare LiteDB file with the node's connection settings: the machine's limit for one-document
/// transactions, in the same run. Checks that no two held bookings overlap and every request got exactly one answer.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.FirstOrDefault() == "slots")
        {
            var at = Path.Combine(Path.GetTempPath(), "commons-bench-slots-" + Guid.NewGuid().ToString("N"));
            try { return SlotsBench.Run(at, Arg(args, "--resources", 100), Arg(args, "--days", 90), Arg(args, "--repeat", 20)); }
            finally { try { Directory.Delete(at, recursive: true); } catch (IOException) { } }
        }
        var requesters = Arg(args, "--requesters", 50);
        var perRequester = Arg(args, "--requests", 40);
        var slots = Arg(args, "--slots", 2000);
        var total = requesters * perRequester;
        var folder = Path.Combine(Path.GetTempPath(), "commons-bench-place-" + Guid.NewGuid().ToString("N"));
        try
        {
            var place = PlaceRun(Path.Combine(folder, "node"), requesters, perRequester, slots);
            var raw = RawRun(Path.Combine(folder, "raw"), requesters, perRequester);
            var rate = total / place.Elapsed.TotalSeconds;
            var rawRate = total / raw.TotalSeconds;
            Console.WriteLine($"booking requests, {requesters} concurrent requesters × {perRequester} on one resource, {slots:N0} one-hour slots " +
                $"({Environment.ProcessorCount} cores, load {Load()})");
            Console.WriteLine("| what | requests | time | per second |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| place: decided (accepted + refused) through PlaceService.Book | {total:N0} | {Ms(place.Elapsed)} | {rate:N0} |");
            Console.WriteLine($"| place: accepted | {place.Accepted:N0} | | {place.Accepted / place.Elapsed.TotalSeconds:N0} |");
            Console.WriteLine($"| place: refused booking_conflict | {place.Refused:N0} | | |");
            Console.WriteLine($"| node without the place: RecordService.Create in a dataset of no kind, same writers | {total:N0} | {Ms(place.PlainCreates)} | {total / place.PlainCreates.TotalSeconds:N0} |");
            Console.WriteLine($"| raw LiteDB: one-document inserts, {requesters} concurrent writers | {total:N0} | {Ms(raw)} | {rawRate:N0} |");
            Console.WriteLine($"ratio place ÷ raw (decided requests per second): {rate / rawRate:0.000}; place ÷ node without the place: {rate / (total / place.PlainCreates.TotalSeconds):0.000}");
            Console.WriteLine($"overlapping held bookings: {place.Overlaps}; requests without exactly one answer: {total - place.Accepted - place.Refused}");
            return place.Overlaps == 0 && place.Accepted + place.Refused == total ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record PlaceResult(TimeSpan Elapsed, int Accepted, int Refused, int Overlaps, TimeSpan PlainCreates);

    private static PlaceResult PlaceRun(string folder, int requesters, int perRequester, int slots)
    {
        using var database = CommonsDatabase.Open(folder);
        var clock = TimeProvider.System;
        var kinds = new DatasetKindRegistry(new PlaceModule().Kinds);
        var datasetStore = new LiteDatasetStore(database);
        var recordStore = new LiteRecordStore(database);
        var modules = new LiteModuleStore(database);
        var datasets = new DatasetService(datasetStore, recordStore, new LiteMemberStore(database), clock, kinds: kinds);
        var records = new RecordService(datasets, recordStore, new LiteChangeFeed(database), new RecordLimits(), clock, kinds: kinds);
        var service = new PlaceService(new PlaceDirectory(datasetStore), records, recordStore, modules, clock);
        var admin = new Caller("root", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
        datasets.Create(admin, new DatasetDraft { Slug = "rooms", Title = new LocalizedText("rooms", null, null), Kind = ResourcesKind.KindName });
        datasets.Create(admin, new DatasetDraft { Slug = "bookings", Title = new LocalizedText("bookings", null, null), Kind = BookingsKind.KindName });
        using (var hall = JsonDocument.Parse("""{"name":{"en":"Main hall"},"category":"room","maxLengthMinutes":240}"""))
            records.Create(admin, "rooms", "hall", hall.RootElement.Clone());

        // Whole hours from tomorrow on, so no request is refused for its notice or for being in the past.
        var first = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var accepted = 0;
        var refused = 0;
        var randoms = Enumerable.Range(0, requesters).Select(r => new Random(r)).ToArray();
        var elapsed = Concurrently(requesters, perRequester, (r, _) =>
        {
            var caller = new Caller($"member{r}", MemberRole.Member, TokenScopes.Read | TokenScopes.Write);
            var at = first.AddHours(randoms[r].Next(slots));
            try
            {
                service.Book(caller, new BookingRequest("hall", at, at.AddHours(1), null, null));
                Interlocked.Increment(ref accepted);
            }
            catch (RuleConflictException e) when (e.Code == PlaceCodes.BookingConflict) { Interlocked.Increment(ref refused); }
        });

        var held = service.Bookings(admin, "hall").Select(b => b.Booking).Where(b => b.Holds).OrderBy(b => b.Start).ToList();
        var overlaps = held.Zip(held.Skip(1)).Count(p => p.Second.Start < p.First.End);
        if (held.Count != accepted) throw new InvalidOperationException($"{accepted} accepted but {held.Count} held");

        // The node's own cost of a write, without the place: the same documents created in a dataset of no kind.
        datasets.Create(admin, new DatasetDraft { Slug = "plain", Title = new LocalizedText("plain", null, null) });
        var plain = Concurrently(requesters, perRequester, (r, i) => records.Create(admin, "plain", null,
            new Booking("hall", first.AddHours(r * perRequester + i), first.AddHours(r * perRequester + i + 1), $"member{r}", BookingStates.Confirmed, null, null).ToData()));
        return new PlaceResult(elapsed, accepted, refused, overlaps, plain);
    }

    private static TimeSpan Concurrently(int threads, int each, Action<int, int> work)
    {
        var start = new ManualResetEventSlim();
        var all = Enumerable.Range(0, threads).Select(r => new Thread(() =>
        {
            start.Wait();
            for (var i = 0; i < each; i++) work(r, i);
        })).ToList();
        all.ForEach(t => t.Start());
        var watch = Stopwatch.StartNew();
        start.Set();
        all.ForEach(t => t.Join());
        return watch.Elapsed;
    }

    private static TimeSpan RawRun(string folder, int writers, int perWriter)
    {
        Directory.CreateDirectory(folder);
        var cs = new ConnectionString
        {
            Filename = Path.Combine(folder, "raw.db"), Connection = ConnectionType.Direct,
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        };
        using var db = new LiteDatabase(cs) { UtcDate = true };
        var collection = db.GetCollection("bookings");
        var first = DateTime.UtcNow.Date.AddDays(1);
        var documents = new ConcurrentQueue<BsonDocument>(Enumerable.Range(0, writers * perWriter).Select(i => new BsonDocument
        {
            ["resource"] = "hall", ["start"] = first.AddHours(i), ["end"] = first.AddHours(i + 1),
            ["bookedBy"] = $"member{i % writers}", ["state"] = BookingStates.Confirmed,
        }));
        var elapsed = Concurrently(writers, perWriter, (_, _) =>
        {
            if (documents.TryDequeue(out var doc)) collection.Insert(doc);
        });
        if (collection.Count() != writers * perWriter) throw new InvalidOperationException("the raw run lost documents");
        return elapsed;
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
