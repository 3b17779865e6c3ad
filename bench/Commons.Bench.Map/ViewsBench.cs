using System.Diagnostics;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Map;
using Commons.Modules.Map.Kinds;
using Commons.Modules.Map.Matching;
using Commons.Modules.Map.Services;
using Commons.Modules.Map.Tests.Evaluation;
using Commons.Storage;
using Commons.Storage.Federation;
using LiteDB;

namespace Commons.Bench.Map;

/// <summary>
/// <c>-- views [--needs N --offers N --repeat R]</c>: a view of the matches as /map/matches asks for it
/// (<see cref="MapService.Matches"/>: our N open needs against M offers in our replicas, in the node's LiteDB store),
/// with the index built per view as before and with the kept index (<see cref="MatchIndexCache"/>): the first view,
/// the next ones with nothing changed, and the view after one new offer arrives; beside a raw LiteDB FindAll of the same
/// offer documents, in the same run.
/// </summary>
public static class ViewsBench
{
    private static readonly Caller Reader = new("bench", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    public static void Run(EvaluationSet set, int needs, int offers, int repeat)
    {
        var folder = Path.Combine(Path.GetTempPath(), "commons-bench-views-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var database = CommonsDatabase.Open(folder);
            var kinds = new DatasetKindRegistry(new MapModule().Kinds);
            var datasetStore = new LiteDatasetStore(database);
            var recordStore = new LiteRecordStore(database);
            var modules = new LiteModuleStore(database);
            var subscriptions = new LiteSubscriptionStore(database);
            var replicas = new LiteReplicaStore(database);
            var feed = new LiteChangeFeed(database);
            var clock = new FixedClock(EvaluationSet.Now);
            var datasets = new DatasetService(datasetStore, recordStore, new LiteMemberStore(database), clock, kinds: kinds);
            var records = new RecordService(datasets, recordStore, feed, new Core.Records.RecordLimits(), clock, kinds: kinds);
            var directory = new MapDirectory(datasetStore, recordStore, subscriptions, replicas);
            datasets.Create(Reader, new DatasetDraft { Slug = "offers", Title = new LocalizedText("Offres", "Aanbod", "Offers"), Kind = OffersKind.KindName });

            var random = new Random(21);
            for (var i = 0; i < needs; i++)
                records.Create(Reader, "offers", $"n{i}", Data(set.Needs[random.Next(set.Needs.Count)].Need));
            var rawDocs = new List<BsonDocument>();
            for (var i = 0; i < offers; i++)
            {
                var host = $"org{i % 100}.example";
                if (i < 100)
                    subscriptions.Upsert(new Subscription
                    {
                        Id = host, DatasetActor = $"https://{host}/datasets/offers", Inbox = $"https://{host}/inbox", FollowActivityId = $"https://us/f/{host}",
                        State = SubscriptionState.Accepted, RequestedBy = "bench", Since = EvaluationSet.Now,
                    });
                var data = Data(set.Offers[random.Next(set.Offers.Count)]);
                replicas.ApplyIfNewer(new ReplicaRecord
                {
                    SubscriptionId = host, RecordId = $"o{i}", ObjectUri = $"https://{host}/datasets/offers/records/o{i}", Revision = 1,
                    ReceivedAt = EvaluationSet.Now.AddSeconds(-offers + i), Data = data,
                });
                rawDocs.Add(LiteDB.JsonSerializer.Deserialize(data.GetRawText()).AsDocument);
            }

            var plain = new MapService(directory, records, modules, clock);
            var cache = new MatchIndexCache(directory, subscriptions, replicas, feed);
            var kept = new MapService(directory, records, modules, clock, cache);

            var count = plain.Matches(Reader).Count;
            var perView = Mean(repeat, () => plain.Matches(Reader));
            var first = Time(() => kept.Matches(Reader));
            var unchanged = Mean(repeat * 4, () => kept.Matches(Reader));
            replicas.ApplyIfNewer(new ReplicaRecord
            {
                SubscriptionId = "org0.example", RecordId = "new", ObjectUri = "https://org0.example/datasets/offers/records/new", Revision = 1,
                ReceivedAt = EvaluationSet.Now.AddSeconds(1), Data = Data(set.Offers[0]),
            });
            var afterNew = Time(() => kept.Matches(Reader));
            if (kept.Matches(Reader).Count < count) throw new InvalidOperationException("the kept index lost matches");

            using var rawDb = new LiteDatabase($"Filename={Path.Combine(folder, "raw.db")};Connection=direct");
            var raw = rawDb.GetCollection("offers");
            raw.InsertBulk(rawDocs);
            var scan = Mean(repeat, () => raw.FindAll().Count());

            Console.WriteLine();
            Console.WriteLine($"a view of the matches: {needs:N0} open needs of ours × {offers:N0} offers in our replicas of 100 datasets, {count:N0} matches "
                + $"({Environment.ProcessorCount} cores, load {Program.Load()}); means of {repeat} views ({repeat * 4} for the kept index unchanged)");
            Console.WriteLine("| view | time |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| index built per view (before) | {Program.Ms(perView)} |");
            Console.WriteLine($"| kept index: first view (builds it) | {Program.Ms(first)} |");
            Console.WriteLine($"| kept index: view with nothing changed | {Program.Ms(unchanged)} |");
            Console.WriteLine($"| kept index: view after one new offer arrived (built again) | {Program.Ms(afterNew)} |");
            Console.WriteLine($"| raw LiteDB: FindAll of the same {offers:N0} offer documents | {Program.Ms(scan)} |");
            Console.WriteLine($"index builds with the kept index: {cache.Builds}");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static JsonElement Data(Listing l) => System.Text.Json.JsonSerializer.SerializeToElement(new
    {
        kind = l.Kind, category = l.Category, title = l.Title, description = l.Description, language = l.Language, commune = l.Commune,
        available_from = l.AvailableFrom, available_until = l.AvailableUntil,
        capacity = l.Capacity is { } c ? new { amount = c.Amount, unit = c.Unit } : null,
    }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

    private static TimeSpan Time(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed;
    }

    private static TimeSpan Mean<T>(int times, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < times; i++) work();
        return clock.Elapsed / times;
    }

    /// <summary>The evaluation set's "now", so its windows and expiries read as they were written.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
