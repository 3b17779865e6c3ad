using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.Actors;
using Commons.Modules.Employers;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Services;
using Commons.Storage;
using Commons.Storage.Federation;
using LiteDB;

namespace Commons.Bench.Employers;

/// <summary>
/// <c>dotnet run -c Release --project bench/Commons.Bench.Employers [-- --workers N --members N --months N]</c>: a group of
/// N members sharing W workers, each worker assigned to every member, written through the node's real services over a
/// real LiteDB file (the rules keep their documents in each write); hours entered through the same writes for every
/// worker, member and month. Then each month is closed through <see cref="EmployersService.CloseMonth"/> (the
/// allocation, to the cent, kept in one transaction), and, in the same run, the same documents the close reads
/// (settings, workers, assignments, the month's hours) are read raw from the collection the module store keeps them in.
/// Checks that every closed month's shares add up to the workers' costs exactly.
/// </summary>
public static class Program
{
    private static readonly Caller Admin = new("root", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    public static int Main(string[] args)
    {
        var workers = Arg(args, "--workers", 50);
        var members = Arg(args, "--members", 30);
        var months = Arg(args, "--months", 5);
        var folder = Path.Combine(Path.GetTempPath(), "commons-bench-employers-" + Guid.NewGuid().ToString("N"));
        try { return Run(folder, workers, members, months); }
        finally { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } }
    }

    private static int Run(string folder, int workers, int members, int months)
    {
        using var database = CommonsDatabase.Open(folder);
        var clock = TimeProvider.System;
        var kinds = new DatasetKindRegistry(new EmployersModule().Kinds);
        var datasetStore = new LiteDatasetStore(database);
        var recordStore = new LiteRecordStore(database);
        var modules = new LiteModuleStore(database);
        var datasets = new DatasetService(datasetStore, recordStore, new LiteMemberStore(database), clock, kinds: kinds);
        var records = new RecordService(datasets, recordStore, new LiteChangeFeed(database), new RecordLimits(), clock, kinds: kinds);
        var group = new EmployersService(modules, datasetStore, new NodeSigningKey(new ActorKeyring(new LiteActorKeyStore(database), clock)), clock);

        var setup = Stopwatch.StartNew();
        foreach (var (slug, kind) in new[] { ("group", GroupKind.KindName), ("workers", WorkersKind.KindName), ("assignments", AssignmentsKind.KindName), ("hours", HoursKind.KindName) })
            datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });
        var actors = Enumerable.Range(0, members).Select(m => $"https://member-{m:00}.example/actor").ToList();
        records.Create(Admin, "group", "settings", Json(new
        {
            name = "Groupement de mesure", allocationRule = "pro_rata_hours", fallbackRule = "planned_share",
            members = actors.Select((a, i) => new { actor = a, name = $"Membre {i:00}" }),
        }));
        var share = decimal.Floor(10000m / members) / 100m;
        var costs = 0m;
        for (var w = 0; w < workers; w++)
        {
            var cost = 2000m + w * 37.13m;
            costs += cost;
            records.Create(Admin, "workers", $"w{w:000}", Json(new { name = $"Travailleur {w}", role = "Polyvalent", contractHoursPerWeek = 38, monthlyCost = cost.ToString("0.00", CultureInfo.InvariantCulture) }));
            foreach (var actor in actors) records.Create(Admin, "assignments", null, Json(new { worker = $"w{w:000}", member = actor, plannedShare = share }));
        }
        var monthNames = Enumerable.Range(0, months).Select(i => new DateOnly(2026, 1, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        foreach (var month in monthNames)
            for (var w = 0; w < workers; w++)
                for (var m = 0; m < members; m++)
                    records.Create(Admin, "hours", null, Json(new { worker = $"w{w:000}", member = actors[m], month, hours = (1 + (w + m) % 5 + 0.25m * (m % 3)).ToString("0.00", CultureInfo.InvariantCulture) }));
        setup.Stop();

        // Closing: one month at a time, each a real close (its hours present); the first warms the code.
        var closeTimes = new List<TimeSpan>();
        var exact = true;
        foreach (var month in monthNames)
        {
            var watch = Stopwatch.StartNew();
            var closed = group.CloseMonth(Admin, month);
            watch.Stop();
            closeTimes.Add(watch.Elapsed);
            exact &= closed.Workers.Sum(x => x.Shares.Sum(s => s.Amount)) == costs && closed.Workers.All(x => x.Basis == "hours");
        }

        // Raw: the same documents the close reads, straight from the module store's collection, for each month.
        var rawTimes = new List<TimeSpan>();
        var documents = 0;
        foreach (var month in monthNames)
        {
            var watch = Stopwatch.StartNew();
            documents = database.Read(() =>
            {
                var col = database.Db.GetCollection(StoreLayout.ModuleData);
                var n = col.FindById($"{GroupIndex.Module}/group/settings") is null ? 0 : 1;
                foreach (var prefix in new[] { "workers/", "assignments/", $"hours/{month}|" })
                    n += col.Find(Query.StartsWith("_id", $"{GroupIndex.Module}/{prefix}")).Count();
                return n;
            });
            watch.Stop();
            rawTimes.Add(watch.Elapsed);
        }

        // Where the time goes: the close's own reads through the module store (documents to records), without allocating or writing.
        var indexTimes = new List<TimeSpan>();
        foreach (var month in monthNames)
        {
            var watch = Stopwatch.StartNew();
            modules.Read(GroupIndex.Module, data =>
            {
                var index = new GroupIndex(data);
                var n = index.GroupSettings() is null ? 0 : 1;
                return n + index.AllWorkers().Count + index.AllAssignments().Count + index.HoursOfMonth(month).Count;
            });
            watch.Stop();
            indexTimes.Add(watch.Elapsed);
        }

        var close = Mean(closeTimes.Skip(1));
        var raw = Mean(rawTimes.Skip(1));
        Console.WriteLine($"closing a month: {workers} workers × {members} members, every worker assigned to every member, hours present " +
            $"({workers * members:N0} hours a month), {months} months, mean of the last {months - 1} ({Environment.ProcessorCount} cores, load {Load()}); " +
            $"setup {setup.Elapsed.TotalSeconds:N0} s through the rules");
        Console.WriteLine("| what | time |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| EmployersService.CloseMonth (read, allocate to the cent, keep the closed month) | {Ms(close)} |");
        Console.WriteLine($"| the close's reads alone, through the module store and GroupIndex (no allocation, no write) | {Ms(Mean(indexTimes.Skip(1)))} |");
        Console.WriteLine($"| raw LiteDB: read the same {documents:N0} documents of the module | {Ms(raw)} |");
        Console.WriteLine($"ratio close ÷ raw read: {close.TotalMilliseconds / raw.TotalMilliseconds:0.0}; first close (cold) {Ms(closeTimes[0])}");
        Console.WriteLine($"every month's shares add up to the costs ({costs:0.00} EUR) to the cent: {exact}");
        return exact ? 0 : 1;
    }

    private static JsonElement Json(object value) => System.Text.Json.JsonSerializer.SerializeToElement(value);

    private static TimeSpan Mean(IEnumerable<TimeSpan> times)
    {
        var list = times.ToList();
        return list.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)list.Average(t => t.Ticks));
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
