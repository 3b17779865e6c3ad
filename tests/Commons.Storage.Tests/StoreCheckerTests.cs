using Commons.Core.Store;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>The integrity scan finds tampering and passes a healthy store; the lock keeps a second user out.</summary>
public sealed class StoreCheckerTests : IDisposable
{
    private readonly TestNode _node = new();
    private readonly int _key;

    public StoreCheckerTests()
    {
        _node.CreateDataset("rooms", """{ "type": "object", "properties": { "name": { "type": "string" } } }""");
        _key = _node.DatasetStore.Find("rooms")!.Key;
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "name": "A" }"""));       // seq 1
        _node.Records.Create(Admin, "rooms", "b", Body("""{ "name": "B" }"""));       // seq 2
        _node.Records.Update(Admin, "rooms", "a", Body("""{ "name": "A2" }"""), null, 1); // seq 3
        _node.Records.Delete(Admin, "rooms", "b", null);                               // seq 4
        _node.Datasets.Update(Admin, "rooms", new() { Policy = Commons.Core.Datasets.SharingPolicy.Public }); // seq 5
        _node.Records.Create(Admin, "rooms", "c", Body("""{ "name": "C" }"""));       // seq 6
    }

    public void Dispose() => _node.Dispose();

    private ILiteCollection<BsonDocument> ChangeDocs => _node.Database.Raw().GetCollection(StoreLayout.Changes);
    private ILiteCollection<BsonDocument> RecordDocs => _node.Database.Raw().GetCollection(StoreLayout.Records);
    private long Change(long seq) => StoreLayout.ChangeId(_key, seq);
    private string Record(string id) => StoreLayout.RecordDocumentId(_key, id);

    private StoreCheckReport Check() => StoreChecker.Run(_node.Database);

    [Fact]
    public void A_healthy_store_passes()
    {
        var report = Check();
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal((1, 3L, 6L), (report.Datasets, report.Records, report.Changes));
        _node.Reopen();
        Assert.True(StoreChecker.Run(_node.Database).Ok);
    }

    [Fact]
    public void A_deleted_change_in_the_middle_is_a_gap()
    {
        Assert.True(ChangeDocs.Delete(Change(2)));
        var problem = Assert.Single(Check().Problems, p => p.Contains("missing"));
        Assert.Contains("change 2", problem);
        Assert.False(Check().Ok);
    }

    [Fact]
    public void A_deleted_last_change_leaves_a_record_ahead_of_its_feed()
    {
        Assert.True(ChangeDocs.Delete(Change(6)));
        var problems = Check().Problems;
        Assert.Contains("record c has no change", problems[0]);
        // The count is the saved head plus what the feed's later changes did: without change 6, record c is not counted.
        Assert.Equal(["rooms: its live record count says 1, but 2 records are live"], problems.Skip(1));
    }

    [Fact]
    public void A_deleted_update_leaves_a_record_revision_that_its_last_change_does_not_name()
    {
        Assert.True(ChangeDocs.Delete(Change(3)));
        var problems = Check().Problems;
        Assert.Contains(problems, p => p.Contains("change 3 is missing"));
        Assert.Contains(problems, p => p.Contains("record a is at revision 2 but its last change says 1"));
    }

    [Fact]
    public void A_deleted_record_document_is_an_orphan_change()
    {
        Assert.True(RecordDocs.Delete(Record("c")));
        Assert.Contains(Check().Problems, p => p.Contains("names record c, which is not stored"));
    }

    [Fact]
    public void A_record_changed_behind_the_feed_or_against_the_schema_is_found()
    {
        var doc = RecordDocs.FindById(Record("a"));
        doc["rev"] = 7L;
        doc["data"] = new BsonDocument { ["name"] = 42 };
        RecordDocs.Update(doc);
        var problems = Check().Problems;
        Assert.Contains(problems, p => p.Contains("record a is at revision 7"));
        Assert.Contains(problems, p => p.Contains("record a fails the schema at $.name"));
    }

    [Fact]
    public void Revisions_that_go_backwards_in_the_feed_are_found()
    {
        var change = ChangeDocs.FindById(Change(3));
        change["rev"] = 1L;
        ChangeDocs.Update(change);
        Assert.Contains(Check().Problems, p => p.Contains("gives record a revision 1 after 1"));
    }

    [Fact]
    public void A_live_count_that_disagrees_with_the_records_is_found()
    {
        var counts = _node.Database.Raw().GetCollection(StoreLayout.RecordCounts);
        Assert.Equal(2, _node.RecordStore.Count(_key));
        counts.Upsert(new BsonDocument { ["_id"] = _key, ["live"] = 5L });
        Assert.Contains(Check().Problems, p => p.Contains("live record count says 5, but 2 records are live"));
    }

    [Fact]
    public void Documents_outside_every_dataset_are_found()
    {
        var stray = _key + 1;
        RecordDocs.Insert(new BsonDocument { ["_id"] = StoreLayout.RecordDocumentId(stray, "x"), ["ds"] = stray });
        ChangeDocs.Insert(new BsonDocument { ["_id"] = StoreLayout.ChangeId(stray, 1), ["seq"] = 1L });
        var problems = Check().Problems;
        Assert.Contains("1 record documents belong to no dataset", problems);
        Assert.Contains("1 changes belong to no dataset", problems);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void A_second_open_of_the_same_folder_is_refused_until_the_first_closes()
    {
        Assert.True(CommonsDatabase.IsInUse(_node.DataDirectory));
        Assert.Throws<StoreInUseException>(() => CommonsDatabase.Open(_node.DataDirectory));
        Assert.Throws<StoreInUseException>(() => CommonsDatabase.Open(_node.DataDirectory + "/./"));
        // the refused open changed nothing
        Assert.Equal(3, _node.Records.List(Admin, "rooms", new()).Items.Count + 1);
        _node.Database.Dispose();
        Assert.False(CommonsDatabase.IsInUse(_node.DataDirectory));
        using (var other = CommonsDatabase.Open(_node.DataDirectory))
        {
            Assert.True(StoreChecker.Run(other).Ok);
            Assert.True(CommonsDatabase.IsInUse(_node.DataDirectory));
        }
        _node.Reopen();
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_not_in_use_and_is_created_on_open()
    {
        using var temp = new TempFolder();
        var folder = temp.Sub("new/nested");
        Assert.False(CommonsDatabase.IsInUse(folder));
        using var db = CommonsDatabase.Open(folder);
        Assert.True(File.Exists(Path.Combine(folder, CommonsDatabase.FileName)) || db.Raw().GetCollectionNames().Any() == false);
        Assert.True(StoreChecker.Run(db).Ok);
    }
}
