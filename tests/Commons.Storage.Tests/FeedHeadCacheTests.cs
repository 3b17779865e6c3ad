using System.Text.Json;
using Commons.Core.Changes;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Storage.Tests.Support;
using LiteDB;
using Record = Commons.Core.Records.Record;

namespace Commons.Storage.Tests;

/// <summary>
/// The write path's shortcuts: the feed head (live count, last number) kept in memory between transactions, a create
/// under a generated id that reads nothing, and a batch's stored form built before the write gate. Each test breaks if
/// the guard of its shortcut goes: the head not dropped on rollback, a taken id not read again, a prepared form used
/// for other data.
/// </summary>
public sealed class FeedHeadCacheTests : IDisposable
{
    private const string Schema = """{"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1}}}""";

    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private static JsonElement Named(string name) => TestNode.Body($$"""{"name":"{{name}}"}""");

    private void AssertFeed(int datasetKey, long lastSeq, long live)
    {
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), _node.Feed.Since(datasetKey, 0, 1_000).Select(c => c.Seq));
        Assert.Equal(lastSeq, _node.Feed.LastSeq(datasetKey));
        Assert.Equal(live, _node.RecordStore.Count(datasetKey));
        Assert.Empty(StoreChecker.Run(_node.Database).Problems);
    }

    private static RecordMutation Create(string id, JsonElement data, Record? current = null)
    {
        var now = DateTimeOffset.UnixEpoch;
        var revision = (current?.Revision ?? 0) + 1;
        return new RecordMutation(
            new Record { Id = id, Revision = revision, Data = data, Shared = true, SharedOnce = true, CreatedAt = now, CreatedBy = "t", UpdatedAt = now, UpdatedBy = "t" },
            new ChangeDraft(ChangeKind.Create, id, revision, "t", now));
    }

    [Fact]
    public void A_batch_rolled_back_after_appending_changes_leaves_no_gap_and_no_count_for_the_next_create()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.Create(TestNode.Admin, "things", null, Named("one"));
        // Two records are decided (changes 2 and 3 appended in the transaction) before the batch is refused as a whole.
        var items = new[] { new RecordBatchItem(null, Named("a")), new RecordBatchItem(null, Named("b")), new RecordBatchItem(null, TestNode.Body("""{"name":""}""")) };
        Assert.Throws<BatchRefusedException>(() => _node.Records.CreateMany(TestNode.Admin, "things", items));

        var (record, change) = _node.Records.Create(TestNode.Admin, "things", null, Named("two"));
        Assert.Equal(2, change!.Seq);
        Assert.Equal(2, record.Seq);
        AssertFeed(d.Key, 2, 2);
    }

    [Fact]
    public void A_generated_id_found_taken_is_decided_again_from_the_stored_record_without_a_gap()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.Create(TestNode.Admin, "things", "taken", Named("live"));
        _node.Records.Create(TestNode.Admin, "things", "gone", Named("soon deleted"));
        _node.Records.Delete(TestNode.Admin, "things", "gone", null);
        var seen = new List<Record?>();

        // A live record under the id: the first attempt (nothing read) fails on the insert, the second sees the record.
        Assert.Throws<ConflictException>(() => _node.RecordStore.CommitNew(d.Key, "taken", null, (current, _) =>
        {
            seen.Add(current);
            return current is { Deleted: false } ? throw new ConflictException("exists") : Create("taken", Named("other"), current);
        }));
        Assert.Equal(2, seen.Count);
        Assert.Null(seen[0]);
        Assert.Equal("live", seen[1]!.Data.GetProperty("name").GetString());
        Assert.Equal("live", _node.RecordStore.Get(d.Key, "taken")!.Data.GetProperty("name").GetString());

        // A tombstone under the id: written again as its next revision, numbered right after the feed's last change.
        var (revived, change) = _node.RecordStore.CommitNew(d.Key, "gone", null, (current, _) => Create("gone", Named("back"), current));
        Assert.Equal(3, revived.Revision);
        Assert.Equal(4, change!.Seq);
        AssertFeed(d.Key, 4, 2);
    }

    [Fact]
    public void A_batch_with_a_generated_id_found_taken_is_decided_again_whole_from_the_stored_states()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.Create(TestNode.Admin, "things", "gone", Named("soon deleted"));
        _node.Records.Delete(TestNode.Admin, "things", "gone", null);
        var targets = new[] { new RecordTarget("fresh", NewId: true), new RecordTarget("gone", NewId: true) };
        var currents = new List<(int, Record?)>();

        var written = _node.RecordStore.CommitMany(d.Key, targets, null, (i, current, _) =>
        {
            currents.Add((i, current));
            return Create(targets[i].Id, Named($"n{i}"), current);
        }, () => { });

        Assert.Equal([(0, false), (1, false), (0, false), (1, true)], currents.Select(c => (c.Item1, c.Item2 is not null)));
        Assert.Equal([3L, 4L], written.Select(w => w.Change!.Seq));
        Assert.Equal(3, _node.RecordStore.Get(d.Key, "gone")!.Revision);
        AssertFeed(d.Key, 4, 2);
    }

    [Fact]
    public void A_prepared_stored_form_is_used_only_for_the_very_element_it_was_built_from()
    {
        var d = _node.CreateDataset("things", Schema);
        var sent = Named("as sent");
        var targets = new[] { new RecordTarget("a", NewId: true, Data: sent), new RecordTarget("b", NewId: true, Data: sent) };
        // The first decision writes the element prepared; the second writes other data of the same shape.
        _node.RecordStore.CommitMany(d.Key, targets, null, (i, current, _) => Create(targets[i].Id, i == 0 ? sent : Named("rewritten"), current), () => { });

        Assert.Equal("as sent", _node.RecordStore.Get(d.Key, "a")!.Data.GetProperty("name").GetString());
        Assert.Equal("rewritten", _node.RecordStore.Get(d.Key, "b")!.Data.GetProperty("name").GetString());
        var text = _node.Database.Raw().GetCollection(StoreLayout.Records).FindById(StoreLayout.RecordDocumentId(d.Key, "b"))["txt"].AsString;
        Assert.Equal("rewritten\n", text);
    }

    [Fact]
    public void The_head_kept_in_memory_is_read_again_from_the_file_after_a_reopen()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.CreateMany(TestNode.Admin, "things", Enumerable.Range(0, 20).Select(i => new RecordBatchItem(null, Named($"r{i}"))).ToList());
        _node.Records.Create(TestNode.Admin, "things", "x", Named("x"));
        _node.Records.Delete(TestNode.Admin, "things", "x", null);
        _node.Reopen();
        // The file was changed while the store was closed (as a restored backup would be): one more change in the feed.
        _node.Database.Write(() => _node.Database.Db.GetCollection(StoreLayout.Changes).Insert(
            ChangeLog.ToBson(d.Key, new Change(23, ChangeKind.Update, "x", 3, "t", DateTimeOffset.UnixEpoch))));
        _node.Reopen();

        var (_, change) = _node.Records.Create(TestNode.Admin, "things", null, Named("after"));
        Assert.Equal(24, change!.Seq);
        Assert.Equal(21, _node.RecordStore.Count(d.Key));
    }

    [Fact]
    public void A_deleted_dataset_forgets_its_head()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.Create(TestNode.Admin, "things", null, Named("one"));
        _node.Datasets.Delete(TestNode.Admin, "things");
        Assert.Null(_node.Database.Raw().GetCollection(StoreLayout.RecordCounts).FindById(d.Key));
        // A write to the gone dataset's key (a store-level caller) starts again from an empty feed, not from the kept head.
        var (_, change) = _node.RecordStore.Commit(d.Key, "y", current => Create("y", Named("y"), current));
        Assert.Equal(1, change!.Seq);
        Assert.Equal(1, _node.RecordStore.Count(d.Key));
    }

    [Fact]
    public void Counts_and_numbers_unsaved_when_the_store_closes_are_read_back_from_the_feed()
    {
        var d = _node.CreateDataset("things", Schema);
        // Past one save of the head and short of the next: the file's head is behind by 44 changes, deletes among them.
        for (var i = 0; i < FeedHead.SaveEvery + 40; i++) _node.Records.Create(TestNode.Admin, "things", $"r{i}", Named($"r{i}"));
        for (var i = 0; i < 4; i++) _node.Records.Delete(TestNode.Admin, "things", $"r{i * 7}", null);
        var saved = _node.Database.Raw().GetCollection(StoreLayout.RecordCounts).FindById(d.Key);
        Assert.Equal(FeedHead.SaveEvery, saved["seq"].AsInt64);
        _node.Reopen(); // a node stopped (or killed) between two saves: nothing else was written

        Assert.Equal(FeedHead.SaveEvery + 36, _node.RecordStore.Count(d.Key));
        var (_, change) = _node.Records.Create(TestNode.Admin, "things", null, Named("after"));
        Assert.Equal(FeedHead.SaveEvery + 45, change!.Seq);
        _node.Reopen();
        AssertFeed(d.Key, FeedHead.SaveEvery + 45, FeedHead.SaveEvery + 37);
    }

    [Fact]
    public void A_backup_taken_between_two_saves_of_the_head_restores_the_right_count()
    {
        var d = _node.CreateDataset("things", Schema);
        foreach (var name in new[] { "a", "b", "c" }) _node.Records.Create(TestNode.Admin, "things", name, Named(name));
        _node.Records.Delete(TestNode.Admin, "things", "b", null);
        Assert.Null(_node.Database.Raw().GetCollection(StoreLayout.RecordCounts).FindById(d.Key));
        using var folder = new TempFolder();
        var file = folder.Sub("b.cnbak");
        Backup.Write(_node.Database, file, "n", DateTimeOffset.UnixEpoch);
        Backup.Restore(file, folder.Sub("restored"), replaceExisting: false, DateTimeOffset.UnixEpoch);

        using var restored = new TestNode(folder.Sub("restored"));
        Assert.Equal(2, restored.RecordStore.Count(d.Key));
        Assert.Empty(StoreChecker.Run(restored.Database).Problems);
        var (_, change) = restored.Records.Create(TestNode.Admin, "things", null, Named("d"));
        Assert.Equal(5, change!.Seq);
    }
}
