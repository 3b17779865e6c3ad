using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Core.Records;
using Commons.Storage.Tests.Support;
using LiteDB;

namespace Commons.Storage.Tests;

/// <summary>
/// Batch creates (<c>RecordService.CreateMany</c> over <c>LiteRecordStore.CommitMany</c>): all or nothing, one change each
/// numbered without gaps, every failing record listed by index and path, the kind's rules inside the one transaction,
/// and a retried batch with ids that creates nothing twice.
/// </summary>
public sealed class RecordBatchTests : IDisposable
{
    private const string Schema = """
        {"type":"object","required":["name"],"additionalProperties":false,
         "properties":{"name":{"type":"string","minLength":1},"count":{"type":"integer","minimum":0},"deep":{"type":"object"}}}
        """;

    /// <summary>One live record per slot, and no slot over 8 hours: a rule that reads what the earlier records of the batch wrote.</summary>
    private sealed class SlotKind : DatasetKind
    {
        public override string Name => "test.slots";
        public override int SchemaVersion => 1;
        public override LocalizedText Title => new("Créneaux", "Tijdsloten", "Slots");
        public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
        public override string Schema => """
            {"type":"object","required":["slot"],"properties":{"slot":{"type":"string","minLength":1},"hours":{"type":"integer"}}}
            """;

        public override void CheckWrite(RecordWrite write, IModuleData data)
        {
            if (write.IsDelete) return;
            if (write.Next.Data.TryGetProperty("hours", out var hours) && hours.GetInt32() > 8)
                throw new RuleViolationException("too_long", "Too long", "a slot lasts at most 8 hours", "hours");
            var slot = write.Next.Data.GetProperty("slot").GetString()!;
            if (data.Get("taken", slot) is not null) throw new RuleConflictException("slot_taken", "Slot taken", $"slot {slot} is held");
            data.Put("taken", slot, TestNode.Body($$"""{"record":"{{write.Next.Id}}"}"""));
        }
    }

    private readonly TestNode _node = new(kinds: new DatasetKindRegistry([new SlotKind()]));

    public void Dispose() => _node.Dispose();

    private static RecordBatchItem Item(string json, string? id = null, bool shared = true) => new(id, TestNode.Body(json), shared);

    private static List<RecordBatchItem> Named(int count, Func<int, string?>? id = null) =>
        Enumerable.Range(0, count).Select(i => Item($$"""{"name":"r{{i}}","count":{{i}}}""", id?.Invoke(i))).ToList();

    [Fact]
    public void A_thousand_records_commit_in_one_batch_with_a_change_each_numbered_without_gaps()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.Create(TestNode.Admin, "things", "before", TestNode.Body("""{"name":"before"}"""));
        var result = _node.Records.CreateMany(TestNode.Admin, "things", Named(1_000));

        Assert.Equal(1_000, result.Created);
        Assert.Equal(1_001, _node.RecordStore.Count(d.Key));
        var changes = _node.Feed.Since(d.Key, 0, 2_000);
        Assert.Equal(Enumerable.Range(1, 1_001).Select(i => (long)i), changes.Select(c => c.Seq));
        Assert.Equal(result.Records.Select(r => r.Record.Id), changes.Skip(1).Select(c => c.RecordId));
        Assert.All(result.Records, r => Assert.Equal(r.Record.Seq, changes.Single(c => c.RecordId == r.Record.Id).Seq));
        Assert.Equal("r999", _node.RecordStore.Get(d.Key, result.Records[999].Record.Id)!.Data.GetProperty("name").GetString());

        // The feed's head is kept: the next single write and a dataset change follow without a gap, also after a restart.
        _node.Reopen();
        _node.Records.Create(TestNode.Admin, "things", "after", TestNode.Body("""{"name":"after"}"""));
        Assert.Equal(1_002, _node.Feed.LastSeq(d.Key));
        Assert.Empty(StoreChecker.Run(_node.Database).Problems);
    }

    [Fact]
    public void One_bad_record_deep_in_the_list_stores_nothing_and_is_named_by_index_and_path()
    {
        var d = _node.CreateDataset("things", Schema);
        var items = Named(1_000);
        items[737] = Item("""{"name":"ok","count":-1}""");
        var refused = Assert.Throws<BatchRefusedException>(() => _node.Records.CreateMany(TestNode.Admin, "things", items));

        var error = Assert.Single(refused.Errors);
        Assert.Equal((737, "$.records[737].data.count", ProblemCodes.ValidationFailed), (error.Index, error.Path, error.Code));
        Assert.Equal(ProblemCodes.BatchRefused, refused.Code);
        Assert.Equal(0, _node.RecordStore.Count(d.Key));
        Assert.Equal(0, _node.Feed.LastSeq(d.Key));
        Assert.Empty(_node.Notices.All);
    }

    [Fact]
    public void A_record_failing_its_checks_after_the_others_were_inserted_leaves_the_dataset_as_it_was()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.CreateMany(TestNode.Admin, "things", Named(10));
        var byName = new RecordQuery { Sort = new RecordSort(SortKey.DataField, "name", Descending: true), Limit = 100 };
        var sorted = _node.Records.List(TestNode.Admin, "things", byName).Items.Select(r => r.Id).ToList(); // makes the sort index
        var dataset = _node.DatasetStore.Find("things")!;
        var sortIndexes = SortIndexes();
        Assert.NotEmpty(sortIndexes);

        // The last record is checked only when the ones before it are already inserted in the open transaction.
        var items = Named(1_000, i => i % 100 == 0 ? $"given{i}" : null);
        items[999] = Item("""{"name":"last","count":-1}""");
        var refused = Assert.Throws<BatchRefusedException>(() => _node.Records.CreateMany(TestNode.Admin, "things", items));
        Assert.Equal((999, "$.records[999].data.count"), (Assert.Single(refused.Errors).Index, refused.Errors[0].Path));

        void Unchanged()
        {
            Assert.Equal(10, _node.RecordStore.Count(d.Key));
            Assert.Equal(10, _node.Feed.LastSeq(d.Key));
            Assert.Equal(sorted, _node.Records.List(TestNode.Admin, "things", byName).Items.Select(r => r.Id));
            Assert.Equal(sortIndexes, SortIndexes());
            Assert.Equal(10, _node.Database.Read(() => _node.Database.Db.GetCollection(StoreLayout.Records).Count(StoreLayout.RecordsOf(d.Key))));
            Assert.Null(_node.RecordStore.Get(d.Key, "given100"));
            Assert.Equal(dataset.Version, _node.DatasetStore.Find("things")!.Version);
            Assert.Empty(StoreChecker.Run(_node.Database).Problems);
        }
        Unchanged();
        _node.Reopen();
        Unchanged();
        // The feed goes on without a gap.
        _node.Records.CreateMany(TestNode.Admin, "things", Named(3));
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), _node.Feed.Since(d.Key, 0, 100).Select(c => c.Seq));
    }

    private List<string> SortIndexes() => _node.Database.Read(() => _node.Database.Db.GetCollection("$indexes")
        .Find(Query.EQ("collection", StoreLayout.Records)).Select(i => i["name"].AsString).Where(n => n.StartsWith("sort_", StringComparison.Ordinal)).ToList());

    [Fact]
    public void Every_failing_record_is_listed_schema_size_id_duplicate_and_unreadable()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Limits.MaxRecordBytes = 200;
        var items = Named(30, i => $"id{i}");
        items[3] = Item("""{"count":"three","extra":1}""", "id3");
        items[10] = Item("""{"name":"bad id"}""", "not a valid id!");
        items[20] = Item("""{"name":"again"}""", "id5");
        items[25] = Item($$"""{"name":"{{new string('x', 300)}}"}""", "id25");
        items[28] = new RecordBatchItem(null, default) { Unreadable = new BatchError(28, "$.records[28].data", ProblemCodes.ValidationFailed, "is required") };
        var refused = Assert.Throws<BatchRefusedException>(() => _node.Records.CreateMany(TestNode.Admin, "things", items));

        Assert.Equal([3, 10, 20, 25, 28], refused.Errors.Select(e => e.Index).Distinct());
        Assert.Contains(refused.Errors, e => e is { Index: 3, Path: "$.records[3].data.name", Code: ProblemCodes.ValidationFailed });
        Assert.Contains(refused.Errors, e => e is { Index: 3, Path: "$.records[3].data.count" });
        Assert.Contains(refused.Errors, e => e is { Index: 10, Path: "$.records[10].id", Code: ProblemCodes.ValidationFailed });
        Assert.Contains(refused.Errors, e => e is { Index: 20, Path: "$.records[20].id", Code: ProblemCodes.DuplicateId } && e.Detail.Contains("index 5"));
        Assert.Contains(refused.Errors, e => e is { Index: 25, Code: ProblemCodes.RecordTooLarge });
        Assert.Equal(0, _node.RecordStore.Count(d.Key));
    }

    [Fact]
    public void Over_the_record_limit_is_refused_before_anything_is_checked_and_an_empty_batch_is_invalid()
    {
        _node.CreateDataset("things", Schema);
        var tooMany = Assert.Throws<BatchTooLargeException>(() => _node.Records.CreateMany(TestNode.Admin, "things", Named(1_001)));
        Assert.Equal(ProblemCodes.BatchTooLarge, tooMany.Code);
        Assert.Throws<ValidationException>(() => _node.Records.CreateMany(TestNode.Admin, "things", []));
    }

    [Fact]
    public void A_kind_rule_refusing_one_record_stores_nothing_not_even_the_rules_documents_of_the_others()
    {
        var d = _node.Datasets.Create(TestNode.Admin, new DatasetDraft { Slug = "slots", Title = new LocalizedText("Slots", null, null), Kind = "test.slots" });
        var items = new List<RecordBatchItem>
        {
            Item("""{"slot":"mon-9"}"""), Item("""{"slot":"tue-9","hours":9}"""), Item("""{"slot":"wed-9"}"""), Item("""{"slot":"mon-9"}"""),
        };
        var refused = Assert.Throws<BatchRefusedException>(() => _node.Records.CreateMany(TestNode.Admin, "slots", items));

        Assert.Equal([(1, "$.records[1].data.hours", "too_long"), (3, "$.records[3].data", "slot_taken")], refused.Errors.Select(e => (e.Index, e.Path, e.Code)));
        Assert.Equal(0, _node.RecordStore.Count(d.Key));
        Assert.Null(_node.ModuleStore.Read("test", m => m.Get("taken", "mon-9")));

        var ok = _node.Records.CreateMany(TestNode.Admin, "slots", [items[0], items[2]]);
        Assert.Equal(2, ok.Created);
        Assert.NotNull(_node.ModuleStore.Read("test", m => m.Get("taken", "wed-9")));
    }

    [Fact]
    public void A_retried_batch_with_ids_creates_nothing_twice_and_a_changed_record_in_it_is_a_conflict()
    {
        var d = _node.CreateDataset("things", Schema);
        var items = Named(50, i => $"id{i}");
        Assert.Equal(50, _node.Records.CreateMany(TestNode.Admin, "things", items).Created);
        var notices = _node.Notices.All.Count;

        var retry = _node.Records.CreateMany(TestNode.Admin, "things", items);
        Assert.Equal(0, retry.Created);
        Assert.All(retry.Records, r => Assert.Equal(1, r.Record.Revision));
        Assert.Equal(50, _node.Feed.LastSeq(d.Key));
        Assert.Equal(notices, _node.Notices.All.Count);

        // Half retried, half new: the stored half is kept, the new half created.
        var more = Named(60, i => $"id{i}");
        Assert.Equal(10, _node.Records.CreateMany(TestNode.Admin, "things", more).Created);

        var changed = Named(60, i => $"id{i}");
        changed[42] = Item("""{"name":"other"}""", "id42");
        changed.Add(Item("""{"name":"new"}""", "id60"));
        var refused = Assert.Throws<BatchRefusedException>(() => _node.Records.CreateMany(TestNode.Admin, "things", changed));
        Assert.Equal((42, "$.records[42].id", ProblemCodes.Conflict), (refused.Errors.Single().Index, refused.Errors.Single().Path, refused.Errors.Single().Code));
        Assert.Null(_node.RecordStore.Get(d.Key, "id60"));
        Assert.Equal(60, _node.Feed.LastSeq(d.Key));
    }

    [Fact]
    public void A_reader_may_not_write_a_batch()
    {
        _node.CreateDataset("things", Schema, SharingPolicy.Public);
        var member = _node.AddMember("reader");
        Assert.Throws<ForbiddenException>(() => _node.Records.CreateMany(member, "things", Named(2)));
    }

    [Fact]
    public void A_head_without_the_kept_number_or_behind_the_feed_falls_back_to_the_feeds_last_entry()
    {
        var d = _node.CreateDataset("things", Schema);
        _node.Records.CreateMany(TestNode.Admin, "things", Named(5));
        // As an older store wrote it: the live count only (the head is read from the file when the store opens).
        _node.Database.Write(() => _node.Database.Db.GetCollection(StoreLayout.RecordCounts).Upsert(new BsonDocument { ["_id"] = d.Key, ["live"] = 5L }));
        _node.Reopen();
        _node.Records.Create(TestNode.Admin, "things", null, TestNode.Body("""{"name":"six"}"""));
        Assert.Equal(6, _node.Feed.LastSeq(d.Key));
        // A head saved behind the feed (its count as of change 2): the changes after it are added up.
        _node.Database.Write(() => _node.Database.Db.GetCollection(StoreLayout.RecordCounts).Upsert(new BsonDocument { ["_id"] = d.Key, ["live"] = 2L, ["seq"] = 2L }));
        _node.Reopen();
        _node.Records.CreateMany(TestNode.Admin, "things", Named(3));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), _node.Feed.Since(d.Key, 0, 100).Select(c => c.Seq));
        Assert.Equal(9, _node.RecordStore.Count(d.Key));
    }
}
