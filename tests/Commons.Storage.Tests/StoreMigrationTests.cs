using System.Security.Cryptography;
using Commons.Core.Errors;
using Commons.Core.Records;
using Commons.Core.Store;
using Commons.Storage.Federation;
using Commons.Storage.Tests.Support;
using LiteDB;

namespace Commons.Storage.Tests;

/// <summary>
/// The store's layout version and its numbered steps: the store committed under Stores/v0 (written by the release before
/// versions) opens, is backed up, migrated, and keeps every document; steps commit with their version; a store newer than
/// the code is refused.
/// </summary>
public sealed class StoreMigrationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Committed(string version) => Path.Combine(AppContext.BaseDirectory, "Stores", version, CommonsDatabase.FileName);

    /// <summary>A copy of a committed store in a folder of its own: the committed file is never opened in place.</summary>
    private string CopyOf(string version)
    {
        var folder = _temp.Sub(version);
        Directory.CreateDirectory(folder);
        File.Copy(Committed(version), Path.Combine(folder, CommonsDatabase.FileName));
        return folder;
    }

    private static StoreMigrations Migrations(IReadOnlyList<LayoutStep>? steps = null) => new(clock: new ManualClock(Now), steps: steps);

    private static string[] Backups(string folder) =>
        Directory.Exists(Path.Combine(folder, StoreMigrations.BackupFolder)) ? Directory.GetFiles(Path.Combine(folder, StoreMigrations.BackupFolder)) : [];

    /// <summary>Every document of every collection, as text, by collection.</summary>
    private static Dictionary<string, HashSet<string>> Documents(IEnumerable<(string Collection, List<BsonDocument> Documents)> content) =>
        content.ToDictionary(c => c.Collection, c => c.Documents.Select(d => JsonSerializer.Serialize(d)).ToHashSet());

    [Fact]
    public void The_v0_store_opens_after_a_backup_at_the_current_layout_and_every_document_survives()
    {
        var committedHash = SHA256.HashData(File.ReadAllBytes(Committed("v0")));
        var folder = CopyOf("v0");

        using (var db = CommonsDatabase.Open(folder, Migrations()))
        {
            Assert.Equal(StoreMigrations.CurrentVersion, StoreMigrations.VersionOf(db));

            // The backup holds the store as the old release left it, and the migrated store holds all of it.
            var backup = Assert.Single(Backups(folder));
            Assert.Equal($"before-layout-v0-to-v{StoreMigrations.CurrentVersion}-20261206T220000Z.cbak", Path.GetFileName(backup));
            var (summary, before) = Backup.Read(backup);
            Assert.Equal("atelier-v0", summary.Node);
            Assert.DoesNotContain(before, c => c.Collection == StoreMigrations.MetaCollection && c.Documents.Any(d => d["_id"] == StoreMigrations.LayoutDocumentId));
            var after = db.Read(() => db.Db.GetCollectionNames().Select(n => (n, db.Db.GetCollection(n).FindAll().ToList())).ToList());
            var afterDocuments = Documents(after);
            foreach (var (collection, documents) in Documents(before))
                Assert.Superset(documents, afterDocuments.GetValueOrDefault(collection, []));

            // Through the stores: every record (deleted ones too), change and member, with their contents.
            var datasets = new LiteDatasetStore(db);
            var records = new LiteRecordStore(db);
            var feed = new LiteChangeFeed(db);
            Assert.Equal(["needs", "offers", "rooms"], datasets.List().Select(d => d.Slug).Order(StringComparer.Ordinal));
            var rooms = datasets.Find("rooms")!;
            Assert.Equal(9, records.Count(rooms.Key));
            Assert.Equal("Salle 2 rénovée", records.Get(rooms.Key, "room02")!.Data.GetProperty("name").GetString());
            Assert.Equal(2, records.Get(rooms.Key, "room02")!.Revision);
            Assert.Equal(55, records.Get(rooms.Key, "room11")!.Data.GetProperty("seats").GetInt32());
            Assert.True(records.Get(rooms.Key, "room09")!.Deleted);
            Assert.Equal(12 + 4 + 3, feed.LastSeq(rooms.Key));
            Assert.Equal(Enumerable.Range(1, 19).Select(i => (long)i), feed.Since(rooms.Key, 0, 100).Select(c => c.Seq));
            var offers = datasets.Find("offers")!;
            Assert.True(records.Get(offers.Key, "o2")!.Deleted);
            Assert.False(records.Get(offers.Key, "o1")!.Shared);
            Assert.Equal("vélo", records.Get(offers.Key, "o1")!.Data.GetProperty("tags")[0].GetString());
            Assert.Equal(["jef", "marie", "root"], new LiteMemberStore(db).List().Select(m => m.Username).Order(StringComparer.Ordinal));
            Assert.Equal("atelier-v0", new LiteNodeStore(db).Get()!.Name);
            Assert.Single(new LiteTokenStore(db).ListFor("marie"));
            Assert.Single(new LiteFollowerStore(db).List("rooms"));
            Assert.Equal(["s1", "s2"], new LiteSubscriptionStore(db).List().Select(s => s.Id).Order(StringComparer.Ordinal));
            // Subscriptions stored before the node kept the origin's display read with none.
            var old = new LiteSubscriptionStore(db).Find("s1")!;
            Assert.Equal((null, null, null, null, 0), (old.Schema, old.TitleField, old.Description, old.DescriptionMap, old.Columns.Count));
            var replicas = new LiteReplicaStore(db);
            Assert.Equal(4, replicas.Count("s1"));
            Assert.True(replicas.Get("s1", "t4")!.Deleted);
            var report = StoreChecker.Run(db);
            Assert.True(report.Ok, string.Join("\n", report.Problems));
            Assert.Equal((3, 15L, 23L), (report.Datasets, report.Records, report.Changes));
        }

        // Opened again: nothing left to migrate, no second backup.
        using (var again = CommonsDatabase.Open(folder, Migrations())) Assert.Equal(StoreMigrations.CurrentVersion, StoreMigrations.VersionOf(again));
        Assert.Single(Backups(folder));
        Assert.Equal(committedHash, SHA256.HashData(File.ReadAllBytes(Committed("v0"))));
    }

    [Fact]
    public void A_new_store_starts_at_the_current_layout_without_a_backup()
    {
        var folder = _temp.Sub("new");
        using var db = CommonsDatabase.Open(folder, Migrations());
        Assert.Equal(StoreMigrations.CurrentVersion, StoreMigrations.VersionOf(db));
        Assert.Empty(Backups(folder));
    }

    [Fact]
    public void Each_step_commits_with_its_version_and_a_failing_step_leaves_the_store_at_the_last_good_one()
    {
        var folder = CopyOf("v0");
        var ran = new List<int>();
        LayoutStep Marker(int to, bool fail = false) => new(to, $"step {to}", db =>
        {
            ran.Add(to);
            db.GetCollection("meta").Upsert(new BsonDocument { ["_id"] = $"step{to}", ["ok"] = true });
            if (fail) throw new InvalidOperationException($"step {to} fails");
        });

        var failing = Assert.Throws<InvalidOperationException>(() => CommonsDatabase.Open(folder, Migrations([.. StoreMigrations.Layout, Marker(2), Marker(3, fail: true)])));
        Assert.Equal("step 3 fails", failing.Message);
        Assert.Equal([2, 3], ran);

        // The store is closed again, at version 2: step 2 and its marker committed, step 3's marker rolled back.
        using (var db = CommonsDatabase.Open(folder, Migrations([.. StoreMigrations.Layout, Marker(2)])))
        {
            Assert.Equal(2, StoreMigrations.VersionOf(db));
            Assert.Equal([2, 3], ran); // nothing ran again
            Assert.NotNull(db.Read(() => db.Db.GetCollection("meta").FindById("step2")));
            Assert.Null(db.Read(() => db.Db.GetCollection("meta").FindById("step3")));
        }
        using (var db = CommonsDatabase.Open(folder, Migrations([.. StoreMigrations.Layout, Marker(2), Marker(3)])))
        {
            Assert.Equal(3, StoreMigrations.VersionOf(db));
            Assert.Equal([2, 3, 3], ran);
        }
        Assert.Equal(2, Backups(folder).Length); // one before each run that had steps to do
        Assert.Contains(Backups(folder), b => Path.GetFileName(b).StartsWith("before-layout-v2-to-v3-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_store_written_by_a_newer_release_is_refused_and_left_as_it_is()
    {
        var folder = _temp.Sub("newer");
        using (var db = CommonsDatabase.Open(folder, Migrations()))
            db.Write(() => db.Db.GetCollection("meta").Upsert(new BsonDocument { ["_id"] = "layout", ["version"] = StoreMigrations.CurrentVersion + 1 }));
        var bytes = File.ReadAllBytes(Path.Combine(folder, CommonsDatabase.FileName));

        var refused = Assert.Throws<StoreTooNewException>(() => CommonsDatabase.Open(folder, Migrations()));
        Assert.Equal(ProblemCodes.StoreTooNew, refused.Code);
        Assert.Contains($"layout version {StoreMigrations.CurrentVersion + 1}", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Empty(Backups(folder));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, CommonsDatabase.FileName)));
        // the lock was released: the folder is not left "in use"
        Assert.False(CommonsDatabase.IsInUse(folder));
    }

    [Fact]
    public void A_restored_backup_of_an_older_store_is_migrated_when_next_opened()
    {
        var folder = CopyOf("v0");
        using (CommonsDatabase.Open(folder, Migrations())) { }
        var backup = Assert.Single(Backups(folder));
        var restored = _temp.Sub("restored");
        Backup.Restore(backup, restored, replaceExisting: false, Now);
        using var db = CommonsDatabase.Open(restored, Migrations());
        Assert.Equal(StoreMigrations.CurrentVersion, StoreMigrations.VersionOf(db));
        Assert.Single(Backups(restored));
        Assert.True(StoreChecker.Run(db).Ok);
    }
}
