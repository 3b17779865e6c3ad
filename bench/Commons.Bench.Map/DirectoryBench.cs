using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Map;
using Commons.Modules.Map.Directory;
using Commons.Modules.Map.Directory.Crawl;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Services;
using Commons.Storage;
using Commons.Storage.Federation;
using LiteDB;

namespace Commons.Bench.Map;

/// <summary>
/// <c>-- directory [--profiles N]</c>: the directory search over N public profiles kept as the crawl keeps them (the
/// module's documents in the node's LiteDB store), a fifth of them followed with their offers and needs replicated, through
/// <see cref="NetworkDirectory.Search"/> (store read, merge, filter, order) for each filter, beside the filter alone on
/// the entries already in memory and a raw LiteDB scan of the same profile documents (FindAll and the same test on
/// the BSON), in the same run.
/// </summary>
public static class DirectoryBench
{
    private static readonly Caller Reader = new("bench", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);
    private static readonly string[] Sectors = ["alimentation", "logement", "mobilité", "culture", "énergie", "économie sociale", "éducation", "santé"];
    private static readonly string[] Words = ["atelier", "vélo", "cuisine", "buurthuis", "coopérative", "jardin", "repair", "fietsen", "boekhouding", "salle", "théâtre", "moestuin"];
    private static readonly string[] Categories = ["place", "admin", "logistics", "equipment", "skills", "facilitation", "other"];

    public static void Run(int profiles, int repeat)
    {
        var folder = Path.Combine(Path.GetTempPath(), "commons-bench-directory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var database = CommonsDatabase.Open(folder);
            var datasetStore = new LiteDatasetStore(database);
            var recordStore = new LiteRecordStore(database);
            var modules = new LiteModuleStore(database);
            var subscriptions = new LiteSubscriptionStore(database);
            var replicas = new LiteReplicaStore(database);
            var directory = new NetworkDirectory(new MapDirectory(datasetStore, recordStore, subscriptions, replicas), datasetStore, subscriptions,
                new LiteFollowerStore(database), replicas, modules, TimeProvider.System);

            var random = new Random(7);
            var found = Enumerable.Range(0, profiles).Select(i => Crawled(i, random)).ToList();
            var clock = Stopwatch.StartNew();
            modules.Write("map", data =>
            {
                CrawledNodes.Save(data, found, new CrawlRun(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "bench", profiles * 4, profiles, true, []));
                return 0;
            });
            var stored = clock.Elapsed;
            // A fifth of them we follow: their offers and needs are in our replicas, as the directory counts them.
            var listings = profiles / 5;
            for (var i = 0; i < listings; i++)
            {
                var host = found[random.Next(found.Count)].Host;
                if (subscriptions.Find(host) is null)
                    subscriptions.Upsert(new Core.Federation.Subscription
                    {
                        Id = host, DatasetActor = $"https://{host}/datasets/offers", Inbox = $"https://{host}/inbox", FollowActivityId = $"https://us/f/{host}",
                        State = Core.Federation.SubscriptionState.Accepted, RequestedBy = "bench", Since = DateTimeOffset.UtcNow,
                    });
                replicas.ApplyIfNewer(new Core.Federation.ReplicaRecord
                {
                    SubscriptionId = host, RecordId = $"l{i}", ObjectUri = $"https://{host}/datasets/offers/records/l{i}", Revision = 1, ReceivedAt = DateTimeOffset.UtcNow,
                    Data = System.Text.Json.JsonSerializer.SerializeToElement(new
                    {
                        kind = i % 3 == 0 ? "need" : "offer", category = Categories[random.Next(Categories.Length)], title = Words[random.Next(Words.Length)], language = "fr",
                    }),
                });
            }

            var filters = new (string Name, DirectoryFilter Filter)[]
            {
                ("no filter", new DirectoryFilter()),
                ("sector", new DirectoryFilter(Sector: "Mobilité")),
                ("commune", new DirectoryFilter(Commune: "21004")),
                ("language", new DirectoryFilter(Language: "nl")),
                ("category", new DirectoryFilter(Category: "place")),
                ("words", new DirectoryFilter(Text: "atelier velo")),
                ("all five", new DirectoryFilter("atelier", "mobilité", "21004", "fr", "place")),
            };
            var entries = directory.Read(Reader).Nodes;
            using var rawDb = new LiteDatabase($"Filename={Path.Combine(folder, "raw.db")};Connection=direct");
            var raw = RawStore(rawDb, found);
            Console.WriteLine();
            Console.WriteLine($"directory search, {profiles:N0} crawled profiles, {listings:N0} open offers and needs in our replicas of {subscriptions.List().Count:N0} of them ({Environment.ProcessorCount} cores, load {Program.Load()}); "
                + $"storing the profiles took {Program.Ms(stored)}; each figure is the mean of {repeat} searches");
            Console.WriteLine("| filter | found | NetworkDirectory.Search (store → page) | filter alone, in memory | raw LiteDB: FindAll + same test on BSON |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var (name, filter) in filters)
            {
                var count = directory.Search(Reader, filter).Count;
                var search = Mean(repeat, () => directory.Search(Reader, filter).Count);
                var memory = Mean(repeat, () => entries.Count(filter.Matches));
                var scan = Mean(repeat, () => raw.FindAll().Count(d => RawMatches(d, filter)));
                Console.WriteLine($"| {name} | {count:N0} | {Program.Ms(search)} | {Program.Ms(memory)} | {Program.Ms(scan)} |");
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static CrawledNode Crawled(int i, Random random)
    {
        var name = $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {i}";
        var profile = new JsonObject
        {
            ["name"] = char.ToUpperInvariant(name[0]) + name[1..],
            ["description"] = new JsonObject { ["fr"] = string.Join(' ', Enumerable.Range(0, 12).Select(_ => Words[random.Next(Words.Length)])) },
            ["sectors"] = new JsonArray(Sectors[random.Next(Sectors.Length)], Sectors[random.Next(Sectors.Length)]),
            ["languages"] = random.Next(3) switch { 0 => new JsonArray("nl"), 1 => new JsonArray("fr"), _ => new JsonArray("fr", "nl") },
            ["commune"] = Communes.All[random.Next(Communes.All.Count)].Code,
        };
        var host = $"node{i}.example";
        return new CrawledNode(host, $"https://{host}", 1 + random.Next(2), "", "partner_of", DateTimeOffset.UtcNow, System.Text.Json.JsonSerializer.SerializeToElement(profile));
    }

    /// <summary>The same documents in a bare LiteDB collection of their own, as BSON.</summary>
    private static ILiteCollection<BsonDocument> RawStore(LiteDatabase db, IReadOnlyList<CrawledNode> found)
    {
        var collection = db.GetCollection("profiles");
        collection.InsertBulk(found.Select(f => LiteDB.JsonSerializer.Deserialize(f.Profile.GetRawText()).AsDocument));
        return collection;
    }

    /// <summary>The filter's tests on the raw document: sector and language by value, commune equal, words in name or description (folded).</summary>
    private static bool RawMatches(BsonDocument d, DirectoryFilter f)
    {
        if (f.Category is not null) return false;
        if (f.Commune is not null && d["commune"].AsString != f.Commune) return false;
        if (f.Language is not null && !d["languages"].AsArray.Any(l => l.AsString == f.Language)) return false;
        if (f.Sector is not null && !d["sectors"].AsArray.Any(s => DirectoryFilter.Fold(s.AsString) == DirectoryFilter.Fold(f.Sector))) return false;
        if (f.Text is null) return true;
        var text = DirectoryFilter.Fold(d["name"].AsString + " " + d["description"]["fr"].AsString);
        return DirectoryFilter.Fold(f.Text).Split(' ', StringSplitOptions.RemoveEmptyEntries).All(text.Contains);
    }

    private static TimeSpan Mean(int repeat, Func<int> work)
    {
        var sink = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeat; i++) sink += work();
        GC.KeepAlive(sink);
        return clock.Elapsed / repeat;
    }
}
