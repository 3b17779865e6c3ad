using System.Text.Json;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Modules;
using Commons.Core.Records;
using Record = Commons.Core.Records.Record;
using static Commons.Storage.Tests.Contract.Samples;

namespace Commons.Storage.Tests.Contract;

/// <summary>Datasets: a key of their own each, every field kept, deleting one takes its records and feed with it.</summary>
public abstract class DatasetStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IDatasetStore Store => Backend.Get<IDatasetStore>();

    [Fact]
    public void Each_dataset_gets_its_own_key_and_is_kept_whole()
    {
        var rooms = Store.Create(Dataset("rooms") with { Kind = "place.rooms", KindVersion = 3 });
        var halls = Store.Create(Dataset("halls"));
        Assert.NotEqual(rooms.Key, halls.Key);
        Backend.Reopen();
        var got = Store.Find("rooms")!;
        Assert.Equal(JsonSerializer.Serialize(rooms), JsonSerializer.Serialize(got));
        Assert.Equal(("place.rooms", 3), (got.Kind, got.KindVersion));
        Assert.Equal(["halls", "rooms"], Store.List().Select(d => d.Slug).Order(StringComparer.Ordinal));
        Assert.Null(Store.Find("Rooms"));
    }

    [Fact]
    public void A_taken_slug_is_a_conflict_and_keys_are_never_reused()
    {
        var first = Store.Create(Dataset("rooms"));
        Assert.Throws<ConflictException>(() => Store.Create(Dataset("rooms")));
        Store.Delete(first);
        Assert.NotEqual(first.Key, Store.Create(Dataset("rooms")).Key);
    }

    [Fact]
    public void An_update_with_a_change_appends_it_to_the_datasets_feed()
    {
        var rooms = Store.Create(Dataset("rooms"));
        Assert.Null(Store.Update(rooms with { Version = 2 }, null));
        var change = Store.Update(rooms with { Version = 3, Policy = SharingPolicy.Public }, new ChangeDraft(ChangeKind.DatasetSharing, null, null, "ana", At))!;
        Assert.Equal((1L, ChangeKind.DatasetSharing), (change.Seq, change.Kind));
        Assert.Equal(1, Backend.Get<IChangeFeed>().LastSeq(rooms.Key));
        Assert.Equal((3L, SharingPolicy.Public), (Store.Find("rooms")!.Version, Store.Find("rooms")!.Policy));
        Assert.Throws<NotFoundException>(() => Store.Update(Dataset("ghost"), null));
    }

    [Fact]
    public void Deleting_a_dataset_removes_its_records_count_and_feed_and_nothing_else()
    {
        var rooms = Store.Create(Dataset("rooms"));
        var halls = Store.Create(Dataset("halls"));
        var records = Backend.Get<IRecordStore>();
        RecordStoreContract.Put(records, rooms.Key, "a");
        RecordStoreContract.Put(records, halls.Key, "a");
        Store.Delete(rooms);
        Assert.Null(Store.Find("rooms"));
        Assert.Null(records.Get(rooms.Key, "a"));
        Assert.Equal(0, records.Count(rooms.Key));
        Assert.Equal(0, Backend.Get<IChangeFeed>().LastSeq(rooms.Key));
        Assert.NotNull(records.Get(halls.Key, "a"));
        Assert.Equal(1, Backend.Get<IChangeFeed>().LastSeq(halls.Key));
    }

    [Fact]
    public void A_deletion_with_a_module_clean_up_commits_both_or_neither()
    {
        var modules = Backend.Get<IModuleStore>();
        modules.Write("place", d => { d.Put("held", "rooms-a", JsonOf("{}")); d.Put("held", "halls-a", JsonOf("{}")); return 0; });
        var rooms = Store.Create(Dataset("rooms"));
        var halls = Store.Create(Dataset("halls"));

        Assert.Throws<ConflictException>(() => Store.Delete(halls, "place", d =>
        {
            d.Delete("held", "halls-a");
            throw new ConflictException("refused");
        }));
        Assert.NotNull(Store.Find("halls"));
        Assert.NotNull(modules.Read("place", d => d.Get("held", "halls-a")));

        Store.Delete(rooms, "place", d => d.Delete("held", "rooms-a"));
        Backend.Reopen();
        modules = Backend.Get<IModuleStore>();
        Assert.Null(Store.Find("rooms"));
        Assert.Null(modules.Read("place", d => d.Get("held", "rooms-a")));
        Assert.NotNull(modules.Read("place", d => d.Get("held", "halls-a")));
    }
}

/// <summary>Records and their feed: a record and its change commit together, numbered without gaps, per dataset.</summary>
public abstract class RecordStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IRecordStore Store => Backend.Get<IRecordStore>();
    private IChangeFeed Feed => Backend.Get<IChangeFeed>();

    internal static (Record Record, Change? Change) Put(IRecordStore store, int key, string id, string json = """{ "n": 1 }""", bool delete = false) =>
        store.Commit(key, id, current =>
        {
            var revision = (current?.Revision ?? 0) + 1;
            var kind = delete ? ChangeKind.Delete : current is null ? ChangeKind.Create : ChangeKind.Update;
            var state = new Record
            {
                Id = id, Revision = revision, Data = delete ? default : JsonOf(json), Deleted = delete, CreatedAt = current?.CreatedAt ?? At, CreatedBy = "ana",
                UpdatedAt = At.AddMinutes(revision), UpdatedBy = "bob", DeletedAt = delete ? At.AddHours(1) : null,
            };
            return new RecordMutation(state, new ChangeDraft(kind, id, revision, "bob", At.AddMinutes(revision)));
        });

    [Fact]
    public void A_record_and_its_change_commit_together_and_the_record_names_its_change()
    {
        var (record, change) = Put(Store, 1, "a", """{ "name": "Salle", "n": 9007199254740993, "f": 0.1 }""");
        Assert.Equal((1L, 1L, ChangeKind.Create), (change!.Seq, change.Revision!.Value, change.Kind));
        Assert.Equal(change.Seq, record.Seq);
        Backend.Reopen();
        var got = Store.Get(1, "a")!;
        Assert.Equal("""{"name":"Salle","n":9007199254740993,"f":0.1}""", got.Data.GetRawText());
        Assert.Equal((1L, "ana", "bob", 1L), (got.Revision, got.CreatedBy, got.UpdatedBy, got.Seq));
        Assert.Equal([change], Feed.Since(1, 0, 10));
    }

    [Fact]
    public void A_decision_of_no_change_writes_nothing_and_a_throwing_one_leaves_no_trace()
    {
        Put(Store, 1, "a");
        var (same, none) = Store.Commit(1, "a", _ => null);
        Assert.Null(none);
        Assert.Equal(1, same.Revision);
        Assert.Throws<ConflictException>(() => Store.Commit(1, "b", _ => throw new ConflictException("no")));
        Assert.Null(Store.Get(1, "b"));
        Assert.Equal(1, Feed.LastSeq(1));
    }

    [Fact]
    public void Feeds_are_per_dataset_gap_free_and_read_in_order_from_any_point()
    {
        for (var i = 0; i < 30; i++) Put(Store, 1, $"r{i % 7}");
        Put(Store, 2, "x");
        Put(Store, 1, "r0", delete: true);
        Assert.Equal(31, Feed.LastSeq(1));
        Assert.Equal(1, Feed.LastSeq(2));
        Assert.Equal(0, Feed.LastSeq(3));
        Assert.Equal(Enumerable.Range(11, 5).Select(i => (long)i), Feed.Since(1, 10, 5).Select(c => c.Seq));
        Assert.Empty(Feed.Since(1, 31, 10));
        Assert.Empty(Feed.Since(1, 0, 0));
        Assert.Equal(ChangeKind.Delete, Feed.Since(1, 30, 10).Single().Kind);
    }

    [Fact]
    public void The_live_count_follows_creates_deletes_and_restores()
    {
        Put(Store, 1, "a");
        Put(Store, 1, "b");
        Put(Store, 1, "a", delete: true);
        Assert.Equal(1, Store.Count(1));
        Assert.True(Store.Get(1, "a")!.Deleted);
        Put(Store, 1, "a");
        Assert.Equal(2, Store.Count(1));
        Assert.Equal(0, Store.Count(2));
    }

    [Fact]
    public void Queries_page_through_one_datasets_live_records_in_id_order()
    {
        foreach (var id in new[] { "b", "a", "c", "B" }) Put(Store, 1, id);
        Put(Store, 2, "a0");
        Put(Store, 1, "c", delete: true);
        var first = Store.Query(1, new RecordQuery { Limit = 2 });
        Assert.Equal(["B", "a"], first.Items.Select(r => r.Id));
        var second = Store.Query(1, new RecordQuery { Limit = 2, Cursor = first.NextCursor });
        Assert.Equal(["b"], second.Items.Select(r => r.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public void Concurrent_writers_to_one_dataset_leave_a_gap_free_feed_and_one_revision_per_change()
    {
        Support.Threads.Run(6, t => { for (var i = 0; i < 20; i++) Put(Store, 1, $"r{(t + i) % 5}"); });
        var changes = Feed.Since(1, 0, 1000);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), changes.Select(c => c.Seq));
        foreach (var group in changes.GroupBy(c => c.RecordId))
            Assert.Equal(Enumerable.Range(1, group.Count()).Select(i => (long)i), group.Select(c => c.Revision!.Value));
    }
}

/// <summary>Modules' documents: per module and collection, read in key order, written with the record in one transaction.</summary>
public abstract class ModuleStoreContract(StoreBackend backend) : StoreContract(backend)
{
    private IModuleStore Store => Backend.Get<IModuleStore>();

    [Fact]
    public void Documents_are_kept_per_module_and_collection_and_read_by_key_range()
    {
        Store.Write("place", d =>
        {
            foreach (var k in new[] { "b", "a", "c" }) d.Put("slots", k, JsonOf($$"""{ "k": "{{k}}" }"""));
            d.Put("other", "a", JsonOf("""{ "x": 1 }"""));
            return 0;
        });
        Store.Write("credit", d => { d.Put("slots", "a", JsonOf("""{ "mine": true }""")); return 0; });
        Backend.Reopen();
        Assert.Equal(["a", "b", "c"], Store.Read("place", d => d.Range("slots", null, null, 10)).Select(x => x.Key));
        Assert.Equal(["b"], Store.Read("place", d => d.Range("slots", "b", "c", 10)).Select(x => x.Key));
        Assert.Equal(["a", "b"], Store.Read("place", d => d.Range("slots", null, null, 2)).Select(x => x.Key));
        Assert.True(Store.Read("credit", d => d.Get("slots", "a"))!.Value.GetProperty("mine").GetBoolean());
        Assert.Null(Store.Read("place", d => d.Get("slots", "z")));
        Assert.True(Store.Write("place", d => d.Delete("slots", "a")));
        Assert.False(Store.Write("place", d => d.Delete("slots", "a")));
    }

    [Fact]
    public void A_write_that_throws_leaves_none_of_its_documents()
    {
        Assert.Throws<InvalidOperationException>(() => Store.Write<int>("place", d =>
        {
            d.Put("slots", "a", JsonOf("{}"));
            throw new InvalidOperationException("refused");
        }));
        Assert.Null(Store.Read("place", d => d.Get("slots", "a")));
    }

    [Fact]
    public void A_record_commit_with_module_data_commits_or_rolls_back_both()
    {
        var records = Backend.Get<IRecordStore>();
        records.Commit(1, "a", "place", (current, data) =>
        {
            data.Put("taken", "slot1", JsonOf("""{ "record": "a" }"""));
            return new RecordMutation(new Record { Id = "a", Revision = 1, Data = JsonOf("{}"), CreatedAt = At, UpdatedAt = At }, new ChangeDraft(ChangeKind.Create, "a", 1, "ana", At));
        });
        Assert.Throws<ConflictException>(() => records.Commit(1, "b", "place", (current, data) =>
        {
            data.Put("taken", "slot2", JsonOf("""{ "record": "b" }"""));
            throw new ConflictException("taken");
        }));
        Assert.NotNull(Store.Read("place", d => d.Get("taken", "slot1")));
        Assert.Null(Store.Read("place", d => d.Get("taken", "slot2")));
        Assert.Null(records.Get(1, "b"));
    }

    [Fact]
    public void Bad_module_collection_and_key_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Store.Read("Place", d => d.Get("slots", "a")));
        Assert.Throws<ArgumentException>(() => Store.Read("place", d => d.Get("sl/ots", "a")));
        Assert.Throws<ArgumentException>(() => Store.Read("place", d => d.Get("slots", "")));
        Assert.Throws<ArgumentException>(() => Store.Write("place", d => { d.Put("slots", "a", JsonOf("[1]")); return 0; }));
    }
}
