using System.Collections.Concurrent;
using Commons.Core.Errors;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Writers on several threads: optimistic concurrency holds and the feed stays gap-free.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TestNode _node = new();

    public ConcurrencyTests()
    {
        _node.Clock.AutoAdvance = true;
        _node.CreateDataset("rooms");
    }

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Two_writers_with_the_same_revision_one_wins_the_other_gets_412()
    {
        const int rounds = 40;
        for (var round = 0; round < rounds; round++)
        {
            var id = $"r{round}";
            _node.Records.Create(Admin, "rooms", id, Body("""{ "v": "start" }"""));
            var outcomes = new ConcurrentBag<(string Writer, Exception? Error, long Revision)>();
            Threads.Run(2, t =>
            {
                var writer = t == 0 ? "left" : "right";
                try
                {
                    var (r, _) = _node.Records.Update(Admin, "rooms", id, Body($$"""{ "v": "{{writer}}" }"""), null, expectedRevision: 1);
                    outcomes.Add((writer, null, r.Revision));
                }
                catch (Exception e) { outcomes.Add((writer, e, 0)); }
            });

            var winner = Assert.Single(outcomes, o => o.Error is null);
            var loser = Assert.Single(outcomes, o => o.Error is not null);
            var failed = Assert.IsType<PreconditionFailedException>(loser.Error);
            Assert.Equal(2, failed.CurrentRevision);
            Assert.Equal(2, winner.Revision);

            var stored = _node.Records.Get(Admin, "rooms", id);
            Assert.Equal(2, stored.Revision);
            Assert.Equal(winner.Writer, stored.Data.GetProperty("v").GetString());
        }
        var feed = _node.Records.Changes(Admin, "rooms", 0, 500).Changes;
        Assert.Equal(Enumerable.Range(1, rounds * 2).Select(i => (long)i), feed.Select(c => c.Seq));
        Assert.True(StoreChecker.Run(_node.Database).Ok);
    }

    [Fact]
    public void Writers_that_reread_before_retrying_lose_nothing()
    {
        _node.Records.Create(Admin, "rooms", "counter", Body("""{ "n": 0 }"""));
        const int threads = 4, increments = 25;
        Threads.Run(threads, _ =>
        {
            for (var done = 0; done < increments;)
            {
                var current = _node.Records.Get(Admin, "rooms", "counter");
                var n = current.Data.GetProperty("n").GetInt32();
                try
                {
                    _node.Records.Update(Admin, "rooms", "counter", Body($$"""{ "n": {{n + 1}} }"""), null, current.Revision);
                    done++;
                }
                catch (PreconditionFailedException) { }
            }
        });

        var final = _node.Records.Get(Admin, "rooms", "counter");
        Assert.Equal(threads * increments, final.Data.GetProperty("n").GetInt32());
        Assert.Equal(threads * increments + 1, final.Revision);
        Assert.Equal(threads * increments + 1, _node.Feed.LastSeq(_node.DatasetStore.Find("rooms")!.Key));
    }

    [Fact]
    public void Parallel_creates_get_feed_numbers_one_to_n_without_gaps_or_duplicates()
    {
        _node.CreateDataset("offers");
        const int threads = 8, perThread = 60;
        var ids = new ConcurrentBag<(string Slug, string Id, long Seq, long Revision)>();
        Threads.Run(threads, t =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var slug = i % 3 == 0 ? "offers" : "rooms";
                var (r, c) = _node.Records.Create(Admin, slug, null, Body($$"""{ "t": {{t}}, "i": {{i}} }"""));
                ids.Add((slug, r.Id, c!.Seq, r.Revision));
            }
        });
        Assert.All(ids, x => Assert.Equal(1, x.Revision));

        Assert.Equal(threads * perThread, ids.Select(x => x.Id).Distinct().Count());
        foreach (var slug in new[] { "rooms", "offers" })
        {
            var mine = ids.Where(x => x.Slug == slug).ToList();
            var feed = _node.Records.Changes(Admin, slug, 0, 500).Changes;
            Assert.Equal(Enumerable.Range(1, mine.Count).Select(i => (long)i), feed.Select(c => c.Seq));
            Assert.Equal(mine.Select(x => x.Seq).Order(), feed.Select(c => c.Seq));
            Assert.Equal(mine.Select(x => x.Id).Order(StringComparer.Ordinal), feed.Select(c => c.RecordId!).Order(StringComparer.Ordinal));
            Assert.All(mine, x => Assert.Equal(x.Id, feed[(int)x.Seq - 1].RecordId));
        }
        var report = StoreChecker.Run(_node.Database);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(threads * perThread, report.Records);
    }
}
