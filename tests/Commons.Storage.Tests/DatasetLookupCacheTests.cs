using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>
/// The datasets that <see cref="LiteDatasetStore.Find"/> keeps decoded between record writes: a record write keeps them, and
/// anything that may have written a dataset document (a handle on the engine, any other write, committed or rolled back)
/// makes the next look-up read the file again; a snapshot neither uses nor fills them.
/// </summary>
public sealed class DatasetLookupCacheTests : IDisposable
{
    private const string NameOnly = """{ "type": "object", "properties": { "name": { "type": "string" } } }""";
    private const string NumberedName = """{ "type": "object", "properties": { "name": { "type": "number" } } }""";
    private readonly TestNode _node = new();

    public DatasetLookupCacheTests()
    {
        _node.CreateDataset("rooms", NameOnly);
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));
    }

    public void Dispose() => _node.Dispose();

    private static void NumberName(ILiteCollection<BsonDocument> datasets)
    {
        var doc = datasets.FindById("rooms");
        doc["schema"] = NumberedName;
        Assert.True(datasets.Update(doc));
    }

    [Fact]
    public void A_record_write_keeps_the_decoded_dataset_and_a_dataset_change_replaces_it()
    {
        var before = _node.DatasetStore.Find("rooms");
        _node.Records.Create(Admin, "rooms", null, Body("""{ "name": "B" }"""));
        Assert.Same(before, _node.DatasetStore.Find("rooms"));

        _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Title = new LocalizedText("Salles", "Zalen", "Rooms") });
        var after = _node.DatasetStore.Find("rooms")!;
        Assert.Equal(before!.Version + 1, after.Version);
        Assert.Equal("Rooms", after.Title.En);
    }

    [Fact]
    public void What_an_authenticated_request_reads_keeps_the_decoded_dataset()
    {
        // Every API request reads its token and its member: were those to move the epoch, no API create would keep the dataset.
        var before = _node.DatasetStore.Find("rooms")!;
        Assert.Null(_node.TokenStore.Find("no-such-token"));
        Assert.Null(_node.TokenStore.FindRefresh("no-such-refresh"));
        _node.MemberStore.Find("admin");
        _node.Records.Create(Admin, "rooms", null, Body("""{ "name": "C" }"""));
        Assert.Same(before, _node.DatasetStore.Find("rooms"));
    }

    [Fact]
    public void A_fan_out_round_keeps_the_decoded_dataset()
    {
        // A federating node enqueues and completes deliveries after every change; that must not cost the next create its look-up.
        var before = _node.DatasetStore.Find("rooms")!;
        var queue = new Commons.Storage.Federation.LiteDeliveryQueue(_node.Database);
        var now = DateTimeOffset.UtcNow;
        var item = new Commons.Core.Federation.DeliveryItem
        {
            Id = "d1", Inbox = "https://peer.test/inbox", Sender = "https://node.test/datasets/rooms", ActivityJson = "{}",
            ActivityType = "Create", CreatedAt = now, NextAttemptAt = now,
        };
        queue.EnqueueFanOut("rooms", 1, [item]);
        queue.Complete([queue.Due(now, 10).Single().Id]);
        queue.Enqueue([item with { Id = "d2" }]);
        queue.Complete("d2");
        Assert.Same(before, _node.DatasetStore.Find("rooms"));
    }

    [Fact]
    public void Reading_records_and_the_feed_keeps_the_decoded_dataset()
    {
        // What a busy node does between two creates (fan-out reading the feed, listings, counts) must not cost the next look-up.
        var before = _node.DatasetStore.Find("rooms")!;
        Assert.Single(_node.Feed.Since(before.Key, 0, 10));
        Assert.Equal(1, _node.Feed.LastSeq(before.Key));
        Assert.Equal(1, _node.RecordStore.Count(before.Key));
        Assert.Single(_node.RecordStore.Query(before.Key, new Commons.Core.Records.RecordQuery()).Items);
        Assert.NotNull(_node.RecordStore.Get(before.Key, "a"));
        Assert.Same(before, _node.DatasetStore.Find("rooms"));
    }

    [Fact]
    public void A_dataset_document_written_through_a_handle_on_the_engine_is_seen_by_the_next_record_write()
    {
        NumberName(_node.Database.Raw().GetCollection(LiteDatasetStore.Collection));
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", null, Body("""{ "name": "C" }""")));
        _node.Records.Create(Admin, "rooms", null, Body("""{ "name": 3 }"""));
    }

    [Fact]
    public void A_dataset_looked_up_inside_the_write_that_changes_it_is_read_again_after_the_write()
    {
        _node.Database.Write(() =>
        {
            var datasets = _node.Database.Db.GetCollection(LiteDatasetStore.Collection);
            Assert.DoesNotContain("number", _node.DatasetStore.Find("rooms")!.Schema);
            NumberName(datasets);
        });
        Assert.Contains("number", _node.DatasetStore.Find("rooms")!.Schema);
        Assert.Throws<ValidationException>(() => _node.Records.Create(Admin, "rooms", null, Body("""{ "name": "C" }""")));
    }

    [Fact]
    public void A_dataset_change_rolled_back_after_a_look_up_inside_it_is_forgotten()
    {
        Assert.Throws<InvalidOperationException>(() => _node.Database.Write(() =>
        {
            NumberName(_node.Database.Db.GetCollection(LiteDatasetStore.Collection));
            Assert.Contains("number", _node.DatasetStore.Find("rooms")!.Schema);
            throw new InvalidOperationException("the write fails after the look-up");
        }));
        Assert.DoesNotContain("number", _node.DatasetStore.Find("rooms")!.Schema);
        _node.Records.Create(Admin, "rooms", null, Body("""{ "name": "C" }"""));
    }

    [Fact]
    public void A_snapshot_sees_its_own_dataset_and_leaves_the_present_one_to_later_look_ups()
    {
        Assert.Null(_node.DatasetStore.Find("rooms")!.Title.En);
        using (_node.Database.BeginSnapshot())
        {
            // Another thread writes while this one is in its snapshot (a transaction belongs to its thread).
            var writer = new Thread(() => _node.Datasets.Update(Admin, "rooms", new DatasetDraft { Title = new LocalizedText("Salles", "Zalen", "Rooms") }));
            writer.Start();
            writer.Join();
            Assert.Null(_node.DatasetStore.Find("rooms")!.Title.En);
        }
        Assert.Equal("Rooms", _node.DatasetStore.Find("rooms")!.Title.En);
    }
}
