using System.Security.Cryptography;
using System.Text;
using Commons.Core.Store;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Nodes;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Storage.Tests.Support;
using LiteDB;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Backups taken while writes go on restore into a consistent store; damaged files are refused before anything is written.</summary>
public sealed class BackupTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void Fill(TestNode node)
    {
        node.Clock.AutoAdvance = true;
        new LiteNodeStore(node.Database).Save(new NodeIdentity { Name = "atelier", CreatedAt = Now, TokenSigningKey = RandomNumberGenerator.GetBytes(32) });
        var stella = node.AddMember("stella");
        node.AddMember("root", Commons.Core.Members.MemberRole.Admin);
        new AccessTokenService(node.TokenStore, node.MemberStore, node.Clock).Create(TestNode.Admin, "stella", "script", TokenScopes.Read, null);
        node.TokenStore.AddRefresh(new RefreshToken { Id = "rt1", Username = "stella", SecretHash = "h", SecurityStamp = "s", ExpiresAt = Now.AddDays(1) });
        node.CreateDataset("rooms", """{ "type": "object", "properties": { "name": { "type": "string" } } }""", SharingPolicy.Public, stella);
        node.CreateDataset("offers");
        for (var i = 0; i < 40; i++) node.Records.Create(Admin, "rooms", $"room{i}", Body($$"""{ "name": "Salle {{i}} – École", "n": {{i}}, "big": 9007199254740993, "f": 0.1 }"""));
        for (var i = 0; i < 10; i++) node.Records.Update(Admin, "rooms", $"room{i}", Body($$"""{ "name": "Salle {{i}} bis" }"""), i % 2 == 0, null);
        for (var i = 10; i < 15; i++) node.Records.Delete(Admin, "rooms", $"room{i}", null);
        node.Records.Create(Admin, "rooms", "room10", Body("""{ "name": "back" }"""));
        node.Datasets.Update(Admin, "rooms", new DatasetDraft { ExcludedFields = ["n"] });
        node.Records.Create(Admin, "offers", "o1", Body("""{ "kind": "offer", "tags": ["a", "b"] }"""), shared: false);
    }

    /// <summary>Every collection and every document, as canonical text, for comparing stores.</summary>
    private static SortedDictionary<string, List<string>> Content(CommonsDatabase database)
    {
        var all = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in database.Raw().GetCollectionNames())
            all[name] = database.Raw().GetCollection(name).FindAll().Select(Canonical).Order(StringComparer.Ordinal).ToList();
        return all;
    }

    private static string Canonical(BsonValue v) => v.Type switch
    {
        BsonType.Document => "{" + string.Join(",", v.AsDocument.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Canonical(p.Value)}")) + "}",
        BsonType.Array => "[" + string.Join(",", v.AsArray.Select(Canonical)) + "]",
        BsonType.Binary => "bin:" + Convert.ToBase64String(v.AsBinary),
        _ => v.Type + ":" + LiteDB.JsonSerializer.Serialize(v),
    };

    private static void AssertConsistent(CommonsDatabase database)
    {
        var report = StoreChecker.Run(database);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        foreach (var d in new LiteDatasetStore(database).List())
        {
            var feed = new LiteChangeFeed(database).Since(d.Key, 0, int.MaxValue);
            Assert.Equal(Enumerable.Range(1, feed.Count).Select(i => (long)i), feed.Select(c => c.Seq));
            var lastChange = feed.Where(c => c.RecordId is not null).GroupBy(c => c.RecordId!).ToDictionary(g => g.Key, g => g.Last());
            var records = database.Raw().GetCollection(StoreLayout.Records).Find(StoreLayout.RecordsOf(d.Key)).ToList();
            Assert.Equal(lastChange.Count, records.Count);
            foreach (var r in records)
            {
                var last = lastChange[StoreLayout.RecordIdOf(r["_id"].AsString)];
                Assert.Equal(last.Revision, r["rev"].AsInt64);
                Assert.Equal(last.Kind == ChangeKind.Delete, r["del"].AsBoolean);
            }
        }
    }

    [Fact]
    public void A_backup_of_a_quiet_store_restores_identical_content()
    {
        var file = _temp.Sub("quiet.cnbak");
        SortedDictionary<string, List<string>> before;
        using (var node = new TestNode(_temp.Sub("live")))
        {
            Fill(node);
            before = Content(node.Database);
            var summary = Backup.Write(node.Database, file, "atelier", Now);
            Assert.Equal(before.Count, summary.Collections);
            Assert.Equal(before.Values.Sum(v => v.Count), summary.Documents);
            var (read, content) = Backup.Read(file);
            Assert.Equal(("atelier", Now, summary.Documents), (read.Node, read.CreatedAt, read.Documents));
            Assert.Equal(before.Keys, content.Select(c => c.Collection));
        }
        Assert.False(File.Exists(file + ".partial"));

        var target = _temp.Sub("restored");
        Backup.Restore(file, target, replaceExisting: false, Now);
        using var restored = new TestNode(target);
        var after = Content(restored.Database);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var name in before.Keys) Assert.Equal(before[name], after[name]);
        AssertConsistent(restored.Database);
    }

    [Fact]
    public void Restored_store_works_like_the_original()
    {
        var file = _temp.Sub("b.cnbak");
        using (var node = new TestNode(_temp.Sub("live")))
        {
            Fill(node);
            Backup.Write(node.Database, file, "atelier", Now);
        }
        var target = _temp.Sub("restored");
        Backup.Restore(file, target, false, Now);
        using var restored = new TestNode(target);
        Assert.Equal("atelier", new LiteNodeStore(restored.Database).Get()!.Name);
        Assert.Single(restored.TokenStore.ListFor("stella"));
        Assert.NotNull(restored.TokenStore.FindRefresh("rt1"));
        var room = restored.Records.Get(Admin, "rooms", "room20");
        Assert.Equal(9007199254740993, room.Data.GetProperty("big").GetInt64());
        Assert.True(restored.Records.Get(Admin, "rooms", "room10").Revision == 3);
        var (_, change) = restored.Records.Create(Admin, "rooms", "new", Body("""{ "name": "after restore" }"""));
        var liveLast = restored.Feed.Since(restored.DatasetStore.Find("rooms")!.Key, 0, 1000).Count;
        Assert.Equal(liveLast, change!.Seq);
        Assert.Equal(["n"], restored.DatasetStore.Find("rooms")!.ExcludedFields);
        var third = restored.CreateDataset("third");
        Assert.Equal(3, third.Key);
    }

    [Fact]
    public void A_backup_taken_while_writes_continue_restores_a_consistent_store()
    {
        using var node = new TestNode(_temp.Sub("live"));
        node.Clock.AutoAdvance = true;
        node.CreateDataset("rooms");
        node.CreateDataset("offers");
        var written = 0;
        var stop = new CancellationTokenSource();
        var progress = new SemaphoreSlim(0);
        Exception? writerError = null;
        var writer = new Thread(() =>
        {
            try
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var slug = i % 3 == 0 ? "offers" : "rooms";
                    node.Records.Create(Admin, slug, $"r{i}", Body($$"""{ "i": {{i}}, "text": "École {{i}}" }"""));
                    if (i % 2 == 0) node.Records.Update(Admin, slug, $"r{i}", Body($$"""{ "i": {{i}}, "text": "changé" }"""), null, 1);
                    if (i % 5 == 0) node.Records.Delete(Admin, slug, $"r{i}", null);
                    if (i > 1 && i % 7 == 0) node.Records.Update(Admin, "rooms", "r1", null, i % 2 == 0, null);
                    Interlocked.Increment(ref written);
                    progress.Release();
                }
            }
            catch (Exception e) { writerError = e; }
        });
        writer.Start();

        var files = new List<string>();
        for (var b = 0; b < 6; b++)
        {
            for (var k = 0; k < 40; k++) Assert.True(progress.Wait(TimeSpan.FromSeconds(30)), "the writer stopped");
            var file = _temp.Sub($"during-{b}.cnbak");
            Backup.Write(node.Database, file, "atelier", Now);
            files.Add(file);
        }
        for (var k = 0; k < 40; k++) Assert.True(progress.Wait(TimeSpan.FromSeconds(30)), "the writer stopped");
        stop.Cancel();
        writer.Join();
        Assert.Null(writerError);
        AssertConsistent(node.Database);

        long previous = 0;
        foreach (var file in files)
        {
            var (summary, _) = Backup.Read(file);
            Assert.True(summary.Documents > previous);
            previous = summary.Documents;
            var target = _temp.Sub("restore-" + Path.GetFileNameWithoutExtension(file));
            Backup.Restore(file, target, false, Now);
            using var restored = CommonsDatabase.Open(target);
            AssertConsistent(restored);
        }
    }

    private string GoodBackup()
    {
        var file = _temp.Sub("good.cnbak");
        using var node = new TestNode(_temp.Sub("source"));
        Fill(node);
        Backup.Write(node.Database, file, "atelier", Now);
        return file;
    }

    /// <summary>Replaces the checksum so that only the content is wrong, as a file written by another program would be.</summary>
    private static byte[] Resealed(byte[] bytes)
    {
        var payload = bytes.AsSpan(0, bytes.Length - 32).ToArray();
        var digest = SHA256.HashData(payload.AsSpan(0, payload.Length - 2));
        return [.. payload, .. digest];
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var f = Encoding.UTF8.GetBytes(from);
        var t = Encoding.UTF8.GetBytes(to);
        Assert.Equal(f.Length, t.Length);
        var at = bytes.AsSpan().IndexOf(f);
        Assert.True(at >= 0);
        var copy = bytes.ToArray();
        t.CopyTo(copy, at);
        return copy;
    }

    public static TheoryData<string> Damages => new() { "flip-middle", "flip-first", "flip-checksum", "truncate-1", "truncate-half", "wrong-magic", "wrong-version", "empty", "text", "appended" };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_file_is_refused_and_nothing_is_written(string damage)
    {
        var good = File.ReadAllBytes(GoodBackup());
        var bytes = damage switch
        {
            "flip-middle" => Flip(good, good.Length / 2),
            "flip-first" => Flip(good, 0),
            "flip-checksum" => Flip(good, good.Length - 1),
            "truncate-1" => good[..^1],
            "truncate-half" => good[..(good.Length / 2)],
            "wrong-magic" => Resealed(Replace(good, "commons-node-backup", "commons-node-backuq")),
            "wrong-version" => Resealed(Replace(good, "version\u0001", "version\u0002")),
            "empty" => [],
            "text" => Encoding.UTF8.GetBytes("{\"this\": \"is not a backup\"}\n" + new string('x', 100)),
            "appended" => [.. good, 0x00],
            _ => throw new ArgumentException(damage),
        };
        var file = _temp.Sub("damaged.cnbak");
        File.WriteAllBytes(file, bytes);

        Assert.Throws<BackupFileException>(() => Backup.Read(file));
        var fresh = _temp.Sub("fresh-target");
        Assert.Throws<BackupFileException>(() => Backup.Restore(file, fresh, false, Now));
        Assert.False(Directory.Exists(fresh) && Directory.EnumerateFileSystemEntries(fresh).Any());

        var existing = _temp.Sub("existing");
        SortedDictionary<string, List<string>> before;
        using (var node = new TestNode(existing)) { node.CreateDataset("mine"); before = Content(node.Database); }
        var filesBefore = Directory.GetFileSystemEntries(existing).Order().ToList();
        Assert.Throws<BackupFileException>(() => Backup.Restore(file, existing, true, Now));
        Assert.Equal(filesBefore, Directory.GetFileSystemEntries(existing).Order().ToList());
        using (var again = CommonsDatabase.Open(existing)) Assert.Equal(before, Content(again));
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x01;
        return copy;
    }

    [Fact]
    public void Restore_refuses_an_existing_store_unless_asked_and_then_keeps_the_old_one()
    {
        var file = GoodBackup();
        var existing = _temp.Sub("existing");
        SortedDictionary<string, List<string>> old;
        using (var node = new TestNode(existing))
        {
            node.CreateDataset("old-data");
            node.Records.Create(Admin, "old-data", "keep", Body("""{ "x": 1 }"""));
            old = Content(node.Database);
        }

        var e = Assert.Throws<BackupFileException>(() => Backup.Restore(file, existing, replaceExisting: false, Now));
        Assert.Contains("exists", e.Message);
        Assert.Equal(["commons.db", "commons.lock"], Directory.GetFiles(existing).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var same = CommonsDatabase.Open(existing)) Assert.Equal(old, Content(same));

        Backup.Restore(file, existing, replaceExisting: true, Now);
        var kept = Assert.Single(Directory.GetFiles(existing, "commons.db.before-restore-*"));
        Assert.Empty(Directory.GetDirectories(existing));
        using (var restored = new TestNode(existing))
        {
            Assert.Null(restored.DatasetStore.Find("old-data"));
            Assert.NotNull(restored.DatasetStore.Find("rooms"));
            AssertConsistent(restored.Database);
        }
        var oldFolder = _temp.Sub("old");
        Directory.CreateDirectory(oldFolder);
        File.Move(kept, Path.Combine(oldFolder, CommonsDatabase.FileName));
        using (var previous = CommonsDatabase.Open(oldFolder)) Assert.Equal(old, Content(previous));
    }

    [Fact]
    public void Restore_into_the_folder_of_a_running_node_is_refused()
    {
        var file = GoodBackup();
        using var running = new TestNode(_temp.Sub("running"));
        running.CreateDataset("live");
        Assert.Throws<BackupFileException>(() => Backup.Restore(file, running.DataDirectory, replaceExisting: true, Now));
        Assert.NotNull(running.DatasetStore.Find("live"));
        Assert.Empty(Directory.GetFiles(running.DataDirectory, "*before-restore*"));
        running.Records.Create(Admin, "live", "still-writable", Body("{}"));
    }
}
