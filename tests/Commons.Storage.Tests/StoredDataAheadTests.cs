using System.Text.Json;
using Commons.Core.Changes;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Storage.Tests.Support;
using LiteDB;
using Record = Commons.Core.Records.Record;

namespace Commons.Storage.Tests;

/// <summary>
/// A custom dataset's batch builds its records' stored forms on another thread just ahead of the insert
/// (<see cref="StoredDataAhead"/>). Whoever builds a record, and whatever the decision writes, each record is stored
/// with its own data and search text, and a body BSON cannot hold still refuses the batch whole.
/// </summary>
public sealed class StoredDataAheadTests : IDisposable
{
    private const string Schema = """{"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1}}}""";
    private const int Large = 300; // well past the size from which the builder runs, and several leads long

    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private static JsonElement Named(string name) => TestNode.Body($$"""{"name":"{{name}}"}""");

    private static RecordMutation Create(string id, JsonElement data)
    {
        var now = DateTimeOffset.UnixEpoch;
        return new RecordMutation(
            new Record { Id = id, Revision = 1, Data = data, Shared = true, SharedOnce = true, CreatedAt = now, CreatedBy = "t", UpdatedAt = now, UpdatedBy = "t" },
            new ChangeDraft(ChangeKind.Create, id, 1, "t", now));
    }

    private BsonDocument Stored(int datasetKey, string id) =>
        _node.Database.Raw().GetCollection(StoreLayout.Records).FindById(StoreLayout.RecordDocumentId(datasetKey, id));

    [Fact]
    public void Each_record_of_a_large_batch_is_stored_with_the_data_its_decision_wrote()
    {
        var d = _node.CreateDataset("things", Schema);
        var targets = Enumerable.Range(0, Large).Select(i => new RecordTarget($"r{i:D4}", NewId: true, Data: Named($"Sent {i}"))).ToArray();
        // Every seventh decision writes other data than the element whose stored form was built ahead.
        _node.RecordStore.CommitMany(d.Key, targets, null,
            (i, _, _) => Create(targets[i].Id, i % 7 == 0 ? Named($"Rewritten {i}") : targets[i].Data!.Value), () => { });

        for (var i = 0; i < Large; i++)
        {
            var expected = i % 7 == 0 ? $"Rewritten {i}" : $"Sent {i}";
            var doc = Stored(d.Key, targets[i].Id);
            Assert.Equal(expected, doc["data"]["name"].AsString);
            Assert.Equal(expected.ToLowerInvariant() + "\n", doc["txt"].AsString);
        }
        Assert.Equal(Large, _node.RecordStore.Count(d.Key));
        Assert.Empty(StoreChecker.Run(_node.Database).Problems);
    }

    [Fact]
    public void A_body_bson_cannot_hold_refuses_a_large_batch_whole()
    {
        var d = _node.CreateDataset("things", """{"type":"object"}""");
        var targets = Enumerable.Range(0, Large)
            .Select(i => new RecordTarget($"r{i:D4}", NewId: true, Data: i == 200 ? TestNode.Body("""{"name":"a","NAME":"b"}""") : Named($"n{i}")))
            .ToArray();

        var refused = Assert.Throws<ValidationException>(() =>
            _node.RecordStore.CommitMany(d.Key, targets, null, (i, _, _) => Create(targets[i].Id, targets[i].Data!.Value), () => { }));

        Assert.Equal("$.NAME", Assert.Single(refused.Errors).Path);
        Assert.Equal(0, _node.RecordStore.Count(d.Key));
        Assert.Null(_node.RecordStore.Get(d.Key, "r0000"));
        Assert.Empty(_node.Feed.Since(d.Key, 0, 10));
    }

    [Fact]
    public void A_check_refusing_the_last_record_rolls_back_the_records_inserted_before_it()
    {
        var d = _node.CreateDataset("things", Schema);
        var targets = Enumerable.Range(0, Large).Select(i => new RecordTarget($"r{i:D4}", NewId: true)).ToArray();
        var checks = new int[Large];
        var appendedBeforeLast = -1L;
        var refused = Assert.Throws<ConflictException>(() => _node.RecordStore.CommitMany(d.Key, targets, null, (i, _, _) =>
        {
            if (i == Large - 1) appendedBeforeLast = _node.Database.Heads[d.Key].LastSeq;
            return Create(targets[i].Id, Named($"n{i}"));
        }, () => throw new ConflictException("the last record was refused"), check: i =>
        {
            Interlocked.Increment(ref checks[i]);
            return Named($"n{i}");
        }));

        // Every record before the last was decided, numbered and handed to the insert in the open transaction.
        Assert.Equal(Large - 1, appendedBeforeLast);
        // Each record checked once, whichever thread (the builder, or the writer while it waited) made it ready.
        Assert.All(checks, count => Assert.Equal(1, count));
        Assert.Equal(0, _node.RecordStore.Count(d.Key));
        Assert.Null(_node.RecordStore.Get(d.Key, "r0000"));
        Assert.Empty(_node.Feed.Since(d.Key, 0, 10));
        Assert.Equal(0, _node.Database.Read(() => _node.Database.Db.GetCollection(StoreLayout.Records).Count()));
    }

    [Fact]
    public void A_check_that_throws_on_the_builder_thread_fails_the_batch_on_the_writing_thread()
    {
        var d = _node.CreateDataset("things", Schema);
        var targets = Enumerable.Range(0, Large).Select(i => new RecordTarget($"r{i:D4}", NewId: true)).ToArray();
        var failed = Assert.Throws<InvalidOperationException>(() => _node.RecordStore.CommitMany(d.Key, targets, null,
            (i, _, _) => Create(targets[i].Id, Named($"n{i}")), () => { },
            check: i => i >= 250 ? throw new InvalidOperationException($"check {i} failed") : Named($"n{i}")));

        Assert.Equal("check 250 failed", failed.Message);
        Assert.Equal(0, _node.RecordStore.Count(d.Key));
        Assert.Empty(_node.Feed.Since(d.Key, 0, 10));
    }

    [Fact]
    public void The_builder_runs_on_a_thread_of_its_own_not_one_the_pool_serves_requests_with()
    {
        var targets = Enumerable.Range(0, Large).Select(i => new RecordTarget($"r{i}", NewId: true, Data: Named($"Name {i}"))).ToArray();
        var asking = Environment.CurrentManagedThreadId;
        var onPool = 0;
        var byBuilder = 0;
        using (var ahead = StoredDataAhead.Ahead(targets, check: i =>
               {
                   if (Environment.CurrentManagedThreadId != asking)
                   {
                       Interlocked.Increment(ref byBuilder);
                       if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref onPool);
                   }
                   return targets[i].Data;
               }, inBackground: true))
        {
            ahead.Take(0);
            // The builder may run up to a lead ahead of the asking thread: let it make a record ready before asking on.
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref byBuilder) > 0, TimeSpan.FromSeconds(30)), "the builder made no record ready");
            for (var i = 1; i < Large; i++) ahead.Take(i);
        }

        Assert.Equal(0, onPool);
    }

    [Fact]
    public void A_record_the_builder_has_not_reached_is_built_by_the_thread_that_asks()
    {
        var targets = Enumerable.Range(0, Large).Select(i => new RecordTarget($"r{i}", NewId: true, Data: Named($"Name {i}"))).ToArray();
        var ahead = StoredDataAhead.Ahead(targets, check: null, inBackground: true);
        var first = ahead.Take(0);
        ahead.Dispose(); // the builder stops wherever it is; every later record is still there to take
        var all = new[] { first }.Concat(Enumerable.Range(1, Large - 1).Select(ahead.Take)).ToArray();
        using var alone = StoredDataAhead.Ahead(targets, check: null, inBackground: false);

        for (var i = 0; i < Large; i++)
        {
            var record = new Record { Id = targets[i].Id, Data = targets[i].Data!.Value };
            Assert.Same(all[i], all[i]!.For(record));
            Assert.Equal($"name {i}\n", all[i]!.Text);
            Assert.Equal($"Name {i}", all[i]!.Bson["name"].AsString);
            Assert.Equal($"name {i}\n", alone.Take(i)!.Text);
        }
    }
}
