using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>A snapshot sees every collection as it was when it began, even collections it reads only later.</summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Writes_committed_after_the_snapshot_began_are_invisible_in_every_collection()
    {
        var rooms = _node.CreateDataset("rooms");
        _node.Records.Create(Admin, "rooms", "a", Body("""{ "x": 1 }"""));
        var db = _node.Database.Raw();

        using (var snapshot = _node.Database.BeginSnapshot())
        {
            // another thread writes: a record and its change, a new dataset with records of its own
            Threads.Run(1, _ =>
            {
                _node.Records.Create(Admin, "rooms", "b", Body("""{ "x": 2 }"""));
                _node.Records.Update(Admin, "rooms", "a", Body("""{ "x": 3 }"""), null, 1);
                _node.CreateDataset("later");
                _node.Records.Create(Admin, "later", "z", Body("{}"));
            });

            // first reads of these collections on this thread happen only now
            var records = db.GetCollection(StoreLayout.Records);
            Assert.Equal([StoreLayout.RecordDocumentId(rooms.Key, "a")], records.FindAll().Select(d => d["_id"].AsString));
            Assert.Equal(1, records.FindById(StoreLayout.RecordDocumentId(rooms.Key, "a"))["rev"].AsInt64);
            Assert.Equal(1, db.GetCollection(StoreLayout.Changes).Count());
            Assert.Equal(1, _node.RecordStore.Count(rooms.Key));
            Assert.Equal(["rooms"], db.GetCollection("datasets").FindAll().Select(d => d["_id"].AsString));
            Assert.Contains("datasets", snapshot.Collections);
            // the shared collections exist from the store's first open, so every snapshot pins them
            Assert.Superset(StoreLayout.Shared.ToHashSet(), snapshot.Collections.ToHashSet());
        }

        Assert.Equal(2, db.GetCollection(StoreLayout.Records).Count(StoreLayout.RecordsOf(rooms.Key)));
        Assert.Equal(2, _node.RecordStore.Count(rooms.Key));
        Assert.Equal(3, _node.Feed.LastSeq(rooms.Key));
    }

    [Fact]
    public void A_backup_does_not_carry_collections_created_after_its_snapshot()
    {
        using var temp = new TempFolder();
        _node.CreateDataset("rooms");
        _node.Records.Create(Admin, "rooms", "a", Body("{}"));
        var report = StoreChecker.Run(_node.Database);
        Assert.True(report.Ok);
        // every collection a backup writes is one the snapshot pinned
        var file = temp.Sub("b.cnbak");
        Backup.Write(_node.Database, file, "n", DateTimeOffset.UnixEpoch);
        var (_, content) = Backup.Read(file);
        Assert.Equal(_node.Database.Raw().GetCollectionNames().Order(StringComparer.Ordinal), content.Select(c => c.Collection));
    }
}
